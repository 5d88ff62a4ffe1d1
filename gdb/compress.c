/* A debug image whose DWARF is compressed, as objcopy
 * --compress-debug-sections=zlib makes it: each .debug_* section becomes
 * SHF_COMPRESSED, an Elf64_Chdr and a zlib stream. GDB, lldb and libdwarf
 * read such sections as they are; the symbol table, which a crash report
 * reads in place (reload/backtrace.c), stays as it was.
 *
 * Each generation's image lives as long as the program, for old frames and
 * for a debugger that attaches later. Built with -g, its DWARF is most of
 * it: Lua's lvm.o, reloaded, kept 90 KB of image a reload. Compressed, a
 * fraction of that; the session compresses an image once it is registered,
 * when it has nothing else to do (reload/debugswap.c). */
#include "compress.h"

#include <elf.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

#define SMALLEST 64             /* a section below this is copied */
#define MAX_ALIGN 16            /* the padding a copied section may need */

struct out {
    char *buf;
    size_t size, cap;
};

static size_t place(struct out *o, size_t n, size_t align)
{
    size_t at = ALIGN_UP(o->size, align ? align : 1);
    memset(o->buf + o->size, 0, at - o->size);
    o->size = at + n;
    return at;
}

static size_t put(struct out *o, const void *data, size_t n, size_t align)
{
    size_t at = place(o, n, align);
    memcpy(o->buf + at, data, n);
    return at;
}

/* The section headers of an image of ours (no program headers, no
 * section aligned to more than MAX_ALIGN), checked against its size;
 * NULL if it is not one. */
static const Elf64_Shdr *sections(const char *image, size_t size, const Elf64_Ehdr **eh)
{
    *eh = (const void *)image;
    const Elf64_Ehdr *e = *eh;
    if (size < sizeof *e || memcmp(e->e_ident, ELFMAG, SELFMAG) || e->e_ident[EI_CLASS] != ELFCLASS64 ||
        e->e_phnum || e->e_shentsize != sizeof(Elf64_Shdr) || e->e_shoff > size ||
        e->e_shnum > (size - e->e_shoff) / sizeof(Elf64_Shdr) || e->e_shstrndx >= e->e_shnum)
        return NULL;
    const Elf64_Shdr *sh = (const void *)(image + e->e_shoff);
    for (size_t i = 0; i < e->e_shnum; i++)
        if (sh[i].sh_type != SHT_NOBITS && (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset ||
                                            sh[i].sh_addralign > MAX_ALIGN))
            return NULL;
    return sh;
}

static bool compressible(const Elf64_Shdr *sh, const Elf64_Shdr *names, const char *image)
{
    if (sh->sh_type != SHT_PROGBITS || (sh->sh_flags & (SHF_ALLOC | SHF_COMPRESSED)) ||
        sh->sh_size < SMALLEST || sh->sh_name >= names->sh_size)
        return false;
    const char *name = image + names->sh_offset + sh->sh_name;
    return strnlen(name, names->sh_size - sh->sh_name) >= 7 && !memcmp(name, ".debug_", 7);
}

/* sh's bytes as a header and a zlib stream; false (nothing written) if
 * zlib cannot make them, or they would not be smaller. */
static bool put_compressed(struct out *o, const char *image, Elf64_Shdr *sh)
{
    Elf64_Chdr ch = {.ch_type = ELFCOMPRESS_ZLIB, .ch_size = sh->sh_size, .ch_addralign = sh->sh_addralign};
    size_t was = o->size, at = place(o, sizeof ch, 8);
    uLongf n = o->cap - o->size;
    if (compress2((Bytef *)o->buf + o->size, &n, (const Bytef *)image + sh->sh_offset, sh->sh_size,
                  Z_BEST_SPEED) != Z_OK || sizeof ch + n >= sh->sh_size) {
        o->size = was;
        return false;
    }
    memcpy(o->buf + at, &ch, sizeof ch);
    o->size += n;
    *sh = (Elf64_Shdr){.sh_name = sh->sh_name, .sh_type = sh->sh_type, .sh_flags = sh->sh_flags | SHF_COMPRESSED,
                       .sh_offset = at, .sh_size = sizeof ch + n, .sh_link = sh->sh_link, .sh_info = sh->sh_info,
                       .sh_addralign = 8, .sh_entsize = sh->sh_entsize};
    return true;
}

void *elfimage_compress(const void *image, size_t size, size_t *out_size)
{
    const Elf64_Ehdr *eh;
    const Elf64_Shdr *in = sections(image, size, &eh);
    if (!in)
        return NULL;
    size_t n = eh->e_shnum, cap = size + n * (sizeof(Elf64_Chdr) + MAX_ALIGN) + 64;
    for (size_t i = 0; i < n; i++)
        if (compressible(&in[i], &in[eh->e_shstrndx], image))
            cap += compressBound(in[i].sh_size) - in[i].sh_size;
    struct out o = {.buf = xmalloc(cap), .cap = cap};
    Elf64_Shdr *sh = xcalloc(n, sizeof *sh);
    memcpy(sh, in, n * sizeof *sh);
    Elf64_Ehdr e = *eh;
    put(&o, &e, sizeof e, 1);
    for (size_t i = 1; i < n; i++) {
        if (sh[i].sh_type == SHT_NOBITS || !sh[i].sh_size)
            continue;
        if (!compressible(&in[i], &in[eh->e_shstrndx], image) || !put_compressed(&o, image, &sh[i]))
            sh[i].sh_offset = put(&o, (const char *)image + in[i].sh_offset, in[i].sh_size, in[i].sh_addralign);
    }
    e.e_shoff = put(&o, sh, n * sizeof *sh, 8);
    memcpy(o.buf, &e, sizeof e);
    xfree(sh);
    if (o.size > size - size / 8) {
        xfree(o.buf);
        return NULL;
    }
    *out_size = o.size;
    return xrealloc(o.buf, o.size);
}
