/* The image's .eh_frame_hdr, as `ld --eh-frame-hdr` makes it: a table of
 * (function start, FDE) pairs sorted by start, which unwinders that
 * read a program's files (perf's libunwind, libdw) search to find a pc's
 * unwind rules. libgcc does not need it (ehframe.c registers each
 * object's frames), but the files tools read are the image's own bytes
 * (gdb/imagefile.c), so the table is laid out in the read-only segment
 * and filled once the frames are relocated.
 *
 * The layout counts the FDEs before relocation: an upper bound, since an
 * FDE whose function was discarded (a COMDAT copy kept elsewhere) points
 * nowhere in the image and is left out of the table. */
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "util.h"

/* The pointer encodings of DWARF's exception-handling frames (LSB 3.0,
 * "DWARF Exception Header Encoding"). */
enum {
    PE_ABSPTR = 0x00, PE_UDATA2 = 0x02, PE_UDATA4 = 0x03, PE_UDATA8 = 0x04,
    PE_SDATA2 = 0x0a, PE_SDATA4 = 0x0b, PE_SDATA8 = 0x0c,
    PE_PCREL = 0x10, PE_DATAREL = 0x30, PE_OMIT = 0xff,
};
#define HDR_HEADER 12 /* version, 3 encodings, eh_frame_ptr, fde_count */

struct entry {
    int64_t start, fde;     /* as offsets from the header */
};

struct frames {
    const uint8_t *p, *end;
};

/* The next record of a .eh_frame piece: its bytes after the length in
 * *body (CIE id or pointer first), its end in *next; false at the
 * terminator, at the end, or at a record that does not fit. */
static bool next_record(struct frames *f, const uint8_t **body, const uint8_t **next)
{
    if (f->end - f->p < 4)
        return false;
    uint32_t len32;
    memcpy(&len32, f->p, 4);
    uint64_t len = len32;
    const uint8_t *at = f->p + 4;
    if (len32 == 0xffffffff) {
        if (f->end - at < 8)
            return false;
        memcpy(&len, at, 8);
        at += 8;
    }
    if (!len || len < 4 || len > (uint64_t)(f->end - at))
        return false;
    *body = at;
    *next = f->p = at + len;
    return true;
}

static bool is_fde(const uint8_t *body)
{
    uint32_t id;
    memcpy(&id, body, 4);
    return id != 0;
}

size_t eh_frame_hdr_size(const struct link *ld)
{
    size_t nfdes = 0;
    for (size_t i = 0; i < ld->noutsecs; i++)
        for (size_t j = 0; j < ld->outsecs[i]->nin; j++) {
            const struct section *s = ld->outsecs[i]->in[j];
            if (!section_is_unwind_table(s) || !s->data)
                continue;
            const uint8_t *body, *next;
            for (struct frames f = {s->data, s->data + s->size}; next_record(&f, &body, &next);)
                nfdes += is_fde(body);
        }
    return nfdes ? HDR_HEADER + nfdes * 8 : 0;
}

static uint64_t uleb(const uint8_t **p, const uint8_t *end)
{
    uint64_t v = 0;
    for (int shift = 0; *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

/* The size of a fixed-size encoded pointer; 0 for the variable ones. */
static size_t encoded_size(uint8_t enc)
{
    static const uint8_t sizes[16] = {[PE_ABSPTR] = 8, [PE_UDATA2] = 2, [PE_UDATA4] = 4, [PE_UDATA8] = 8,
                                      [PE_SDATA2] = 2, [PE_SDATA4] = 4, [PE_SDATA8] = 8};
    return enc == PE_OMIT ? 0 : sizes[enc & 0x0f];
}

/* The encoding of the pc fields of a CIE's FDEs (its 'R' augmentation;
 * absolute 8-byte addresses without one), or PE_OMIT if it cannot be
 * read. cie is the record's body, end its end. */
static uint8_t fde_encoding(const uint8_t *cie, const uint8_t *end)
{
    const uint8_t *p = cie + 4;
    if (p >= end)
        return PE_OMIT;
    uint8_t version = *p++;
    const char *aug = (const char *)p;
    const uint8_t *nul = memchr(p, 0, end - p);
    if (!nul || strstr(aug, "eh"))
        return PE_OMIT;
    p = nul + 1;
    uleb(&p, end);              /* code alignment */
    uleb(&p, end);              /* data alignment: only its length matters */
    if (version == 1)
        p++;
    else
        uleb(&p, end);          /* return address register */
    if (aug[0] != 'z')
        return PE_ABSPTR;
    uleb(&p, end);              /* augmentation data length */
    for (const char *a = aug + 1; *a && p < end; a++) {
        if (*a == 'R')
            return *p;
        if (*a == 'L') {
            p++;
        } else if (*a == 'P') {    /* the personality routine: skipped */
            size_t n = encoded_size(*p);
            if (!n || (*p & 0x70) == 0x50) /* aligned: C++ CIEs never are */
                return PE_OMIT;
            p += 1 + n;
        } else if (*a != 'S' && *a != 'B') {
            return PE_OMIT;
        }
    }
    return PE_ABSPTR;
}

/* Read a pc field of encoding enc at `at` (which runs at `addr`). */
static bool read_encoded(const uint8_t *at, const uint8_t *end, uintptr_t addr, uint8_t enc, uintptr_t *out)
{
    size_t n = encoded_size(enc);
    if (!n || (enc & 0x70 & ~PE_PCREL) || (enc & 0x80) || (size_t)(end - at) < n)
        return false;
    uint64_t raw = 0;
    memcpy(&raw, at, n);
    bool is_signed = (enc & 0x08) && n < 8;
    if (is_signed && (raw >> (8 * n - 1)))
        raw |= ~(uint64_t)0 << (8 * n);
    *out = (uintptr_t)raw + (enc & PE_PCREL ? addr : 0);
    return true;
}

static int by_start(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* Add the piece's FDEs whose functions are in the image. */
static void index_piece(const struct link *ld, const struct section *s, struct entry *table, size_t cap,
                        size_t *n)
{
    const struct image *im = ld->image;
    const uint8_t *bytes = image_bytes(im, s->addr), *body, *next;
    for (struct frames f = {bytes, bytes + s->size}; *n < cap && next_record(&f, &body, &next);) {
        if (!is_fde(body))
            continue;
        uint32_t back;
        memcpy(&back, body, 4);
        const uint8_t *cie_body, *cie_end;
        struct frames cie = {body - back, next};
        uintptr_t pc;
        if (back > (size_t)(body - bytes) || !next_record(&cie, &cie_body, &cie_end) || is_fde(cie_body) ||
            !read_encoded(body + 4, next, s->addr + (body + 4 - bytes), fde_encoding(cie_body, cie_end), &pc) ||
            pc < im->base || pc >= im->base + im->size)
            continue;
        uintptr_t fde = s->addr + (body - 4 - bytes);
        table[(*n)++] = (struct entry){(int64_t)(pc - im->eh_frame_hdr), (int64_t)(fde - im->eh_frame_hdr)};
    }
}

static const struct outsec *first_unwind_table(const struct link *ld)
{
    for (size_t i = 0; i < ld->noutsecs; i++)
        if (ld->outsecs[i]->nin && section_is_unwind_table(ld->outsecs[i]->in[0]))
            return ld->outsecs[i];
    return NULL;
}

void write_eh_frame_hdr(struct link *ld)
{
    struct image *im = ld->image;
    const struct outsec *frames = first_unwind_table(ld);
    if (!im->eh_frame_hdr_size || !frames)
        return;
    size_t cap = (im->eh_frame_hdr_size - HDR_HEADER) / 8, n = 0;
    struct entry *table = xcalloc(cap, sizeof *table);
    for (size_t i = 0; i < ld->noutsecs; i++)
        for (size_t j = 0; j < ld->outsecs[i]->nin; j++)
            if (section_is_unwind_table(ld->outsecs[i]->in[j]) && ld->outsecs[i]->in[j]->data)
                index_piece(ld, ld->outsecs[i]->in[j], table, cap, &n);
    qsort(table, n, sizeof *table, by_start);
    uint8_t *hdr = image_bytes(im, im->eh_frame_hdr);
    int32_t frame_ptr = (int32_t)(frames->addr - (im->eh_frame_hdr + 4)), count = (int32_t)n;
    hdr[0] = 1;
    hdr[1] = PE_PCREL | PE_SDATA4;
    hdr[2] = PE_UDATA4;
    hdr[3] = PE_DATAREL | PE_SDATA4;
    memcpy(hdr + 4, &frame_ptr, 4);
    memcpy(hdr + 8, &count, 4);
    for (size_t i = 0; i < n; i++) {
        int32_t pair[2] = {(int32_t)table[i].start, (int32_t)table[i].fde};
        memcpy(hdr + HDR_HEADER + 8 * i, pair, 8);
    }
    xfree(table);
}
