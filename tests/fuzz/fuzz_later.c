/* libFuzzer target for the first link's file reading (loader/later.c):
 * the bytes, zero-padded to the size from which a start reads an object
 * but for its debug sections, are a file that the loader reads as a
 * start does. The object is linked into a scratch image (as fuzz_link
 * does), then its debug sections are read in after the fact, as while
 * main runs, and used: its DWARF types, and the debugger's image of the
 * link, which applies the debug relocations. Inputs of odd length have
 * the file cut short in between, as a compiler rewriting the object: the
 * debug sections must then come out zeroed, never half read. */
#include <gnu/libc-version.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elfimage.h"
#include "linker.h"
#include "util.h"

/* later.c reads whole any file smaller than this (LATER_MIN_SIZE). */
#define LATER_SIZE (64 * 1024)

static int file_of(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.o", MFD_CLOEXEC);
    size_t padded = size < LATER_SIZE ? LATER_SIZE : size;
    if (fd < 0 || ftruncate(fd, (off_t)padded) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    return fd;
}

static void define_undefined(struct link *ld, struct strmap *host)
{
    for (size_t i = 0; i < ld->symtab.cap; i++) {
        const struct symbol *s = ld->symtab.slots[i].value;
        if (s && s->kind == SYM_UNDEF)
            strmap_slot(host, s->name)->value = (void *)gnu_get_libc_version;
    }
}

/* What reads the debug sections once main runs. */
static void use_debug_sections(struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++) {
        object_read_later(ld->objs[i]);
        object_dwarf(ld->objs[i]);
    }
    struct image_objects io = {.cur = ld->objs, .ncur = ld->nobjs};
    size_t size;
    free(elfimage_build(ld, &io, NULL, NULL, NULL, &size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || memcmp(data, "\x7f" "ELF", 4) || (size >= 18 && data[16] == ET_DYN))
        return 0;
    int fd = file_of(data, size);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    struct strmap host = {0};
    struct link_options opts = {.host = &host, .scratch = true};
    elf_version(EV_CURRENT);
    struct link *ld = link_new(&opts);
    struct file_data f = {0};
    if (link_read_file(ld, path, false, &f) == 0 && link_add_file(ld, "fuzz.o", f, false) == 0) {
        define_undefined(ld, &host);
        if (link_resolve_and_lay_out(ld) == 0 && link_relocate(ld) == 0) {
            if (size % 2 && ftruncate(fd, (off_t)size / 2) < 0)
                abort();
            use_debug_sections(ld);
        }
        tls_unpublish(ld);
        image_release(ld->image);
    }
    clear_error();
    link_free(ld);
    strmap_free(&host);
    close(fd);
    return 0;
}
