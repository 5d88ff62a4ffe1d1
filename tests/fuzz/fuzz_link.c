/* libFuzzer target for the whole link but running it: the bytes are
 * classified like a command-line file, every archive member named by the
 * symbol index is added, and the link is resolved, laid out and relocated
 * into a scratch image (link_options.scratch: pages of its own, nothing
 * run or registered), so that a crafted size or offset reaches the
 * arithmetic it could break. Every symbol still undefined after reading
 * is given an address in libc, as a shared library would give it, so
 * inputs get past resolution. Never dlopens an input: those that are not
 * ELF or ar are rejected up front. */
#include <gnu/libc-version.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "util.h"

/* Undefined symbols resolve to a function in libc: within reach of the
 * scratch pages, which are mapped beside the libraries. */
static void define_undefined(struct link *ld, struct strmap *host)
{
    for (size_t i = 0; i < ld->symtab.cap; i++) {
        const struct symbol *s = ld->symtab.slots[i].value;
        if (s && s->kind == SYM_UNDEF)
            strmap_slot(host, s->name)->value = (void *)gnu_get_libc_version;
    }
}

static bool is_candidate(const uint8_t *data, size_t size)
{
    if (size < 4 || (memcmp(data, "\x7f" "ELF", 4) && (size < 8 || memcmp(data, "!<arch>\n", 8))))
        return false;
    /* shared libraries are dlopened, not parsed by us */
    return !(size >= 18 && !memcmp(data, "\x7f" "ELF", 4) && data[16] == ET_DYN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!is_candidate(data, size))
        return 0;
    struct strmap host = {0};
    struct link_options opts = {.host = &host, .scratch = true};
    elf_version(EV_CURRENT);
    struct link *ld = link_new(&opts);
    struct file_data f = {.bytes = xmalloc(size + 1), .size = size};
    memcpy(f.bytes, data, size);
    f.bytes[size] = 0; /* as read_file leaves it */
    if (link_add_file(ld, "fuzz.o", f, false) == 0 && link_add_all_members(ld) == 0) {
        define_undefined(ld, &host);
        if (link_resolve_and_lay_out(ld) == 0)
            link_relocate(ld);
        tls_unpublish(ld);
        image_release(ld->image);
    }
    clear_error();
    link_free(ld);
    strmap_free(&host);
    return 0;
}
