/* What a debugger sees changes with the program: the new generation gets
 * a debug image, and each older generation that loses objects gets its
 * image made again with their names renamed (gdb/).
 *
 * Renaming means making an older generation's image again, whose cost is
 * that generation's size (the first one's is the whole program), for a
 * reload of one object. So the first time a generation's image is made
 * again, it is split into chunks (gdb/chunks.c), and from then on only
 * the chunks that hold a replaced object are. And it is done only while
 * a debugger is attached: without one, the chunks are marked stale, and
 * made again when one attaches (the session's threads look), or when a
 * core is about to be written (crash.c); an attaching debugger may see
 * the old names for a tenth of a second. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chunks.h"
#include "compress.h"
#include "forkgate.h"
#include "imagefile.h"
#include "jit.h"
#include "plan.h"
#include "util.h"

/* Which chunks a change makes again. */
struct change {
    const struct link *nl;      /* its objects replace: NULL, none */
    bool current_again;         /* a version brought back: every object */
};

/* Made before the stop; swapped while the threads are parked, so no
 * thread runs new code before a debugger has its breakpoints there, and
 * each old image goes before its replacement comes, so breakpoints move
 * instead of doubling. A chunk of both lists is the same chunk, kept. */
struct debug_swap {
    struct link *ld;
    struct debug_chunk *chunks; /* the generation's list as it will be; */
    size_t nchunks;             /* once swapped, the list it replaced */
    unsigned version;
    struct change ch;           /* what made it */
};

/* Does this reload replace or drop an object of generation g? */
static bool loses_objects(const struct link *nl, const struct link *g)
{
    for (size_t i = 0; i < nl->nsuperseded; i++)
        if (nl->superseded[i]->link == g)
            return true;
    return false;
}

static bool holds_entry(const struct debug_chunk *list, size_t n, const void *entry)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].entry == entry)
            return true;
    return false;
}

static bool chunk_holds(const struct link *ld, const struct debug_chunk *c, const struct object *obj)
{
    for (size_t j = c->first; j < c->first + c->n && j < ld->nobjs; j++)
        if (ld->objs[j] == obj)
            return true;
    return false;
}

/* Does the change rename objects of chunk c? */
static bool renames_in(const struct change *ch, const struct link *ld, const struct debug_chunk *c)
{
    if (c->stale || ch->current_again)
        return true;
    for (size_t i = 0; ch->nl && i < ch->nl->nsuperseded; i++)
        if (ch->nl->superseded[i]->link == ld && chunk_holds(ld, c, ch->nl->superseded[i]))
            return true;
    return false;
}

/* Chunk c's objects that still have their bytes: in io->cur the current
 * ones, in io->old those replaced now or earlier (named NAME#version);
 * all current for a version brought back. */
static void chunk_objects(const struct link *ld, const struct debug_chunk *c, const struct change *ch,
                          unsigned version, struct image_objects *io)
{
    struct object **cur = xcalloc(c->n + 1, sizeof *cur), **old = xcalloc(c->n + 1, sizeof *old);
    *io = (struct image_objects){.cur = cur, .old = old, .version = version};
    for (size_t j = c->first; j < c->first + c->n && j < ld->nobjs; j++) {
        struct object *obj = ld->objs[j];
        if (!obj->elf)
            continue;
        if (obj->superseded && !ch->current_again)
            old[io->nold++] = obj;
        else
            cur[io->ncur++] = obj;
    }
}

static void free_objects(struct image_objects *io)
{
    xfree((void *)io->cur);
    xfree((void *)io->old);
}

/* The runs of cover that chunk c's image covers. */
static struct debug_run *runs_of(const struct debug_cover *cover, size_t c, size_t *n)
{
    struct debug_run *runs = xcalloc(cover->n + 1, sizeof *runs);
    *n = 0;
    for (size_t k = 0; k < cover->n; k++)
        if (cover->runs[k].owner == c)
            runs[(*n)++] = cover->runs[k];
    return runs;
}

static void make_chunk(struct program *pg, const struct link *ld, struct debug_chunk *c,
                       const struct image_cover *cover, const struct change *ch, unsigned version,
                       struct source_list *sources)
{
    struct image_objects io;
    size_t size;
    chunk_objects(ld, c, ch, version, &io);
    c->image = io.ncur + io.nold ? elfimage_build(ld, &io, cover, pg->source_root, sources, &size) : NULL;
    c->entry = c->image ? jit_entry_new(c->image, size) : NULL;
    c->stale = c->compressed = c->whole = false;
    free_objects(&io);
}

/* Make the chunks of sw that remake[] names (NULL: all of them); when
 * there are several, each covers its runs of the generation (chunks.c). */
static void make_chunks(struct program *pg, struct debug_swap *sw, const bool *remake)
{
    struct debug_cover cover = {0};
    bool split = sw->nchunks > 1;
    if (split)
        debug_cover_make(sw->ld, sw->chunks, sw->nchunks, &cover);
    for (size_t c = 0; c < sw->nchunks; c++) {
        if (remake && !remake[c])
            continue;
        struct image_cover part = {.unwind = c == 0};
        struct debug_run *runs = split ? runs_of(&cover, c, &part.n) : NULL;
        part.runs = runs;
        make_chunk(pg, sw->ld, &sw->chunks[c], split ? &part : NULL, &sw->ch, sw->version, NULL);
        xfree(runs);
    }
    debug_cover_free(&cover);
}

/* A whole generation's image, made again with a debugger there, is split
 * into chunks, all made now; false if it is too small to split. */
static bool split_generation(struct program *pg, struct debug_swap *sw)
{
    struct debug_chunk *chunks;
    size_t n = debug_chunks_plan(sw->ld, &chunks);
    if (n < 2) {
        xfree(chunks);
        return false;
    }
    sw->chunks = chunks;
    sw->nchunks = n;
    make_chunks(pg, sw, NULL);
    return true;
}

/* sw->chunks: its generation's chunks after the change. Those it renames
 * in are made again if a debugger is watching, else marked stale; the
 * others are kept. */
static void plan_generation(struct program *pg, struct debug_swap *sw, bool watched)
{
    const struct link *ld = sw->ld;
    if (watched && ld->ndebug == 1 && renames_in(&sw->ch, ld, &ld->debug[0]) && split_generation(pg, sw))
        return;
    sw->nchunks = ld->ndebug;
    sw->chunks = xcalloc(ld->ndebug + 1, sizeof *sw->chunks);
    memcpy(sw->chunks, ld->debug, ld->ndebug * sizeof *sw->chunks);
    bool *remake = xcalloc(ld->ndebug + 1, sizeof *remake);
    for (size_t c = 0; c < sw->nchunks; c++)
        if (renames_in(&sw->ch, ld, &sw->chunks[c]))
            remake[c] = watched, sw->chunks[c].stale = !watched;
    make_chunks(pg, sw, remake);
    xfree(remake);
}

struct debug_chunk *debug_image_whole(struct program *pg, const struct link *ld, struct source_list *sources)
{
    struct change none = {0};
    struct debug_chunk *whole = xcalloc(1, sizeof *whole);
    whole->n = ld->nobjs;
    make_chunk(pg, ld, whole, NULL, &none, 0, sources);
    return whole;
}

void prepare_debug_images(struct program *pg, struct plan *p)
{
    bool watched = jit_debugger_attached();
    p->swaps = xcalloc(pg->ngens + 2, sizeof *p->swaps);
    struct debug_swap *first = &p->swaps[p->nswaps++];
    if (p->again) { /* current again: its names are no longer NAME#N */
        *first = (struct debug_swap){.ld = p->again, .ch = {.current_again = true}};
        plan_generation(pg, first, watched);
    } else { /* the new generation: one image for all its objects */
        *first = (struct debug_swap){.ld = p->nl, .chunks = debug_image_whole(pg, p->nl, &p->sources), .nchunks = 1};
        image_file_map(p->nl); /* for valgrind, perf, sanitizers: nothing runs it yet */
    }
    for (size_t g = 0; g < pg->ngens; g++) {
        struct link *ld = pg->gens[g];
        if (!ld->ndebug || ld == p->again || !loses_objects(p->nl, ld))
            continue;
        struct debug_swap *sw = &p->swaps[p->nswaps++];
        *sw = (struct debug_swap){.ld = ld, .version = g, .ch = {.nl = p->nl}};
        plan_generation(pg, sw, watched);
    }
}

/* Images change before any code is patched: a debugger removing a
 * breakpoint it had put at an old function's entry writes back the byte it
 * saved (gdb does so when it re-sets breakpoints for the new image), which
 * would break the jump a reload writes there. Old images go first, so that
 * breakpoints move instead of doubling. */
static void retire_swap(const struct debug_swap *sw)
{
    const struct link *ld = sw->ld;
    for (size_t c = 0; c < ld->ndebug; c++)
        if (ld->debug[c].entry && !holds_entry(sw->chunks, sw->nchunks, ld->debug[c].entry))
            jit_entry_remove(ld->debug[c].entry);
}

void retire_debug_images(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++)
        retire_swap(&p->swaps[i]);
}

/* Then the new ones come, and the generation takes its new list; the
 * swap keeps the old one, to free what it alone holds. */
static void publish_swap(struct program *pg, struct debug_swap *sw)
{
    struct link *ld = sw->ld;
    for (size_t c = 0; c < sw->nchunks; c++) {
        const struct debug_chunk *chunk = &sw->chunks[c];
        if (chunk->entry && !holds_entry(ld->debug, ld->ndebug, chunk->entry))
            jit_entry_add(chunk->entry);
        if (chunk->stale)
            pg->debug_stale = true;
    }
    struct debug_chunk *chunks = ld->debug;
    size_t n = ld->ndebug;
    pg->debug_swaps++;
    ld->debug = sw->chunks;
    ld->ndebug = sw->nchunks;
    sw->chunks = chunks;
    sw->nchunks = n;
}

void publish_debug_images(struct program *pg, struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++)
        publish_swap(pg, &p->swaps[i]);
}

/* After a commit, the older generations' image files say what gdb says,
 * or will: a replaced function is NAME#N, one made current again by a
 * rollback is NAME. A new generation's file has its names already. */
void rename_image_files(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++) {
        struct debug_swap *sw = &p->swaps[i];
        if (sw->ld == p->nl && !p->again)
            continue;
        struct debug_chunk whole = {.n = sw->ld->nobjs};
        struct image_objects io;
        chunk_objects(sw->ld, &whole, &sw->ch, sw->version, &io);
        image_file_rename(sw->ld, &io);
        free_objects(&io);
    }
}

/* What the swap holds and its generation does not: after a commit, the
 * images replaced; after a failure, the ones made. */
static void free_swap(struct debug_swap *sw)
{
    for (size_t c = 0; c < sw->nchunks; c++)
        if (sw->chunks[c].entry && !holds_entry(sw->ld->debug, sw->ld->ndebug, sw->chunks[c].entry)) {
            jit_entry_free(sw->chunks[c].entry);
            xfree(sw->chunks[c].image);
        }
    xfree(sw->chunks);
}

void free_debug_swaps(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++)
        free_swap(&p->swaps[i]);
    xfree(p->swaps);
    p->swaps = NULL;
    p->nswaps = 0;
}

/* With the lock held, the program's threads running: a debugger stops
 * them all at each change (it breaks on the JIT interface's function). */
void refresh_debug_images(struct program *pg)
{
    for (size_t g = 0; g < pg->ngens; g++) {
        struct debug_swap sw = {.ld = pg->gens[g], .version = g};
        bool any = false;
        for (size_t c = 0; c < sw.ld->ndebug; c++)
            any |= sw.ld->debug[c].stale;
        if (!any)
            continue;
        plan_generation(pg, &sw, true); /* no change: the stale chunks */
        retire_swap(&sw);
        publish_swap(pg, &sw);
        free_swap(&sw);
    }
    pg->debug_stale = false;
}

static struct debug_chunk *next_to_compress(const struct program *pg)
{
    for (size_t g = 0; g < pg->ngens; g++)
        for (size_t c = 0; c < pg->gens[g]->ndebug; c++) {
            struct debug_chunk *chunk = &pg->gens[g]->debug[c];
            if (chunk->entry && !chunk->compressed && !chunk->whole)
                return chunk;
        }
    return NULL;
}

/* HOTLD_COMPRESS_DELAY_MS: a test's way to widen the window in which a
 * reload may come. Read before the program runs: its threads may setenv
 * while the session's thread compresses. */
static long compress_delay_ms;

__attribute__((constructor)) static void read_compress_delay(void)
{
    const char *v = getenv("HOTLD_COMPRESS_DELAY_MS");
    long ms = v ? strtol(v, NULL, 10) : 0;
    compress_delay_ms = ms > 0 && ms < 60000 ? ms : 0;
}

static void delay_for_tests(void)
{
    struct timespec t = {compress_delay_ms / 1000, compress_delay_ms % 1000 * 1000000L};
    if (compress_delay_ms)
        nanosleep(&t, NULL);
}

/* One image registered whole, compressed. It is chosen and its bytes
 * copied under the lock, and compressed without it; meanwhile a reload
 * on another thread (--watch's, a process of the program's) may replace
 * its generation's chunks and free it. So the result goes in, under the
 * lock, only if no chunk list was replaced since (pg->debug_swaps); else
 * it is thrown away, and the next call chooses again. */
bool compress_debug_image(struct program *pg)
{
    forkgate_lock(&pg->lock);
    struct debug_chunk *c = next_to_compress(pg);
    unsigned long swaps = pg->debug_swaps;
    size_t size = 0, n;
    void *copy = NULL;
    if (c) {
        const void *bytes = jit_entry_image(c->entry, &size);
        copy = memcpy(xmalloc(size ? size : 1), bytes, size);
    }
    pthread_mutex_unlock(&pg->lock);
    if (!c)
        return false;
    delay_for_tests();
    void *small = elfimage_compress(copy, size, &n);
    xfree(copy);
    forkgate_lock(&pg->lock);
    if (pg->debug_swaps == swaps) {
        const void *was = jit_entry_image(c->entry, &size);
        c->whole = !small;
        if (small) {
            jit_entry_set_image(c->entry, small, n);
            c->image = small;
            c->compressed = true;
            xfree((void *)was);
            small = NULL;
        }
    }
    pthread_mutex_unlock(&pg->lock);
    xfree(small);
    return true;
}

struct debug_tally debug_images_tally(const struct program *pg)
{
    struct debug_tally t = {0};
    for (size_t g = 0; g < pg->ngens; g++)
        for (size_t c = 0; c < pg->gens[g]->ndebug; c++) {
            const struct debug_chunk *chunk = &pg->gens[g]->debug[c];
            size_t size = 0;
            if (!chunk->entry)
                continue;
            jit_entry_image(chunk->entry, &size);
            t.images++;
            t.bytes += size;
            t.compressed += chunk->compressed;
        }
    return t;
}

const struct debug_chunk *debug_chunk_of(const struct link *ld, const struct object *obj)
{
    for (size_t c = 0; c < ld->ndebug; c++)
        if (chunk_holds(ld, &ld->debug[c], obj))
            return &ld->debug[c];
    return NULL;
}
