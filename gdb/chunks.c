/* A generation's debug image, in chunks once it must be made again.
 *
 * One image per generation keeps GDB's start fast: each registration
 * makes GDB re-set every breakpoint. But a reload that replaces one of
 * the generation's objects renames that object's functions in it
 * (NAME#N), and the whole image is then made again and read again by
 * GDB: under gdb, the first reload of each object of a 1,000-object
 * program took 45-70 ms, against 20 without. So a generation is split
 * the first time it is made again (reload/debugswap.c), into chunks of
 * consecutive objects with at least CHUNK_BYTES of symbols and DWARF
 * each, and at most about MAX_CHUNKS of them; from then on, a reload
 * makes again only the chunks whose objects it replaces.
 *
 * No address may be in two of GDB's sections: GDB keeps one of two
 * overlapping sections, and looks a pc's symbols up only in the image
 * of the one it kept. So each chunk's image covers its objects' loaded
 * sections and the padding after each, and the first chunk's the
 * generation's unwind tables, which it holds, and the start of each
 * segment. What else the link made (call stubs, GOT) has no names: it
 * goes with the section before it. A gap of its own after each section
 * would make the first chunk's image a section per object, and GDB
 * took 45 ms instead of 7 to read it. */
#include "chunks.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define CHUNK_BYTES (256u << 10)
#define MAX_CHUNKS 32

/* What an object adds to an image: its sections that are not loaded
 * (DWARF, symbols and their names), but for relocations, applied there. */
static uint64_t weight(const struct object *obj)
{
    uint64_t w = 0;
    for (size_t i = 1; i < obj->nsecs; i++)
        if (!(obj->secs[i].flags & SHF_ALLOC) && obj->secs[i].type != SHT_RELA)
            w += obj->secs[i].size;
    return w;
}

/* HOTLD_DEBUG_CHUNK=BYTES sets the least size of a chunk (the tests
 * split programs of a few objects). Read before the program runs: its
 * threads may setenv while a reload makes chunks. */
static uint64_t least_chunk_bytes = CHUNK_BYTES;

__attribute__((constructor)) static void read_least_chunk(void)
{
    const char *v = getenv("HOTLD_DEBUG_CHUNK");
    long long n = v ? atoll(v) : 0;
    if (n > 0)
        least_chunk_bytes = (uint64_t)n;
}

size_t debug_chunks_plan(const struct link *ld, struct debug_chunk **out)
{
    uint64_t total = 0;
    for (size_t i = 0; i < ld->nobjs; i++)
        total += weight(ld->objs[i]);
    uint64_t per = (total + MAX_CHUNKS - 1) / MAX_CHUNKS, acc = 0;
    if (per < least_chunk_bytes)
        per = least_chunk_bytes;
    struct debug_chunk *chunks = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < ld->nobjs; i++) {
        if (!n || acc >= per) {
            struct debug_chunk c = {.first = i};
            ARRAY_PUSH(chunks, n, cap, c);
            acc = 0;
        }
        chunks[n - 1].n++;
        acc += weight(ld->objs[i]);
    }
    if (!n) {
        struct debug_chunk whole = {0};
        ARRAY_PUSH(chunks, n, cap, whole);
    }
    *out = chunks;
    return n;
}

static int by_start(const void *a, const void *b)
{
    const struct debug_run *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void add_piece(struct debug_cover *pieces, uintptr_t start, uint64_t size, size_t owner)
{
    struct debug_run r = {start, start + size, 0, owner};
    if (size)
        ARRAY_PUSH(pieces->runs, pieces->n, pieces->cap, r);
}

/* A loaded section of an object, as a piece of its chunk; its .eh_frame
 * is part of the generation's unwind tables. */
static void add_section_piece(struct debug_cover *pieces, const struct section *s, size_t owner)
{
    if (s && s->out && !s->discarded && (s->flags & SHF_ALLOC) && !(s->flags & SHF_TLS) &&
        strcmp(s->out->name, ".eh_frame"))
        add_piece(pieces, s->addr, s->size, owner);
}

static void sorted_pieces(const struct link *ld, const struct debug_chunk *chunks, size_t nchunks,
                          struct debug_cover *pieces)
{
    for (size_t c = 0; c < nchunks; c++)
        for (size_t j = chunks[c].first; j < chunks[c].first + chunks[c].n && j < ld->nobjs; j++) {
            const struct object *obj = ld->objs[j];
            for (size_t i = 1; i < obj->nsecs; i++)
                add_section_piece(pieces, &obj->secs[i], c);
            add_section_piece(pieces, obj->common, c);
        }
    for (size_t i = 0; i < ld->noutsecs; i++)
        if (!strcmp(ld->outsecs[i]->name, ".eh_frame"))
            add_piece(pieces, ld->outsecs[i]->addr, ld->outsecs[i]->size, 0);
    add_piece(pieces, ld->image->eh_frame_hdr, ld->image->eh_frame_hdr_size, 0);
    if (pieces->n)
        qsort(pieces->runs, pieces->n, sizeof *pieces->runs, by_start);
}

/* [start, end) of segment seg to owner, joined to the run before if it
 * continues it. */
static void add_run(struct debug_cover *cover, uintptr_t start, uintptr_t end, int seg, size_t owner)
{
    struct debug_run *last = cover->n ? &cover->runs[cover->n - 1] : NULL;
    if (start >= end)
        return;
    if (last && last->seg == seg && last->owner == owner && last->end == start) {
        last->end = end;
        return;
    }
    struct debug_run r = {start, end, seg, owner};
    ARRAY_PUSH(cover->runs, cover->n, cover->cap, r);
}

void debug_cover_make(const struct link *ld, const struct debug_chunk *chunks, size_t nchunks,
                      struct debug_cover *cover)
{
    const struct image *im = ld->image;
    struct debug_cover pieces = {0};
    sorted_pieces(ld, chunks, nchunks, &pieces);
    *cover = (struct debug_cover){0};
    size_t k = 0;
    for (int seg = 0; seg < NSEGMENTS; seg++) {
        uintptr_t at = im->seg_start[seg], end = im->seg_end[seg];
        size_t before = 0; /* the owner of what comes before at */
        for (; k < pieces.n && pieces.runs[k].start < at; k++)
            ; /* outside the segments: a section the trim cut off */
        for (; k < pieces.n && pieces.runs[k].start < end; k++) {
            const struct debug_run *p = &pieces.runs[k];
            uintptr_t stop = p->end < end ? p->end : end;
            add_run(cover, at, p->start, seg, before);
            add_run(cover, p->start > at ? p->start : at, stop, seg, p->owner);
            before = p->owner;
            if (stop > at)
                at = stop;
        }
        add_run(cover, at, end, seg, before);
    }
    xfree(pieces.runs);
}

void debug_cover_free(struct debug_cover *cover)
{
    xfree(cover->runs);
    *cover = (struct debug_cover){0};
}
