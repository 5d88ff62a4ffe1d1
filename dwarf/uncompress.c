/* Uncompressed by zlib into a buffer of their own, never in place: the
 * object's bytes stay as they are in the file for whoever reads them next
 * (libelf's elf_compress, on a handle of the object's bytes, rewrote the
 * section's header in them). A size past what zlib can make of the
 * stream (1032 to 1), or past 4 GiB, is a corrupt header's, and refused. */
#include "uncompress.h"

#include <gelf.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

uint8_t *section_uncompressed(const void *raw, uint64_t n, uint64_t *size)
{
    Elf64_Chdr ch;
    if (n < sizeof ch)
        return NULL;
    memcpy(&ch, raw, sizeof ch);
    n -= sizeof ch;
    if (ch.ch_type != ELFCOMPRESS_ZLIB || !ch.ch_size || ch.ch_size / 1032 > n || ch.ch_size > UINT32_MAX)
        return NULL;
    uLongf got = ch.ch_size;
    uint8_t *out = xmalloc(ch.ch_size);
    if (uncompress(out, &got, (const Bytef *)raw + sizeof ch, n) != Z_OK || got != ch.ch_size) {
        xfree(out);
        return NULL;
    }
    *size = got;
    return out;
}

uint8_t *section_copy(Elf_Scn *scn, uint64_t *size)
{
    GElf_Shdr sh;
    bool compressed = gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_COMPRESSED);
    Elf_Data *d = compressed ? elf_rawdata(scn, NULL) : elf_getdata(scn, NULL);
    if (!d || (!d->d_buf && d->d_size))
        return NULL;
    if (compressed)
        return section_uncompressed(d->d_buf, d->d_size, size);
    uint8_t *copy = xmalloc(d->d_size + 1);
    if (d->d_size)
        memcpy(copy, d->d_buf, d->d_size);
    *size = d->d_size;
    return copy;
}
