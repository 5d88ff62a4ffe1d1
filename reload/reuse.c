/* A reload that brings back an earlier version: an edit undone, two
 * versions tried in turn, a rollback. That version's code is still
 * loaded (old frames may return into it), so instead of loading a copy,
 * the reload can make it current again, and memory stays the same however
 * many times the program goes back and forth.
 *
 * Whether it can is decided by doing the link for real: the objects are
 * linked again, placed at the addresses the earlier image has, into pages
 * of their own (a rehearsal, link.rehearse_at). The earlier image is what
 * the program needs iff every byte comes out as it is there. The bytes
 * decide, not a list of conditions, because anything may have moved since
 * that image was made: a function of another object it calls, a variable
 * that migrated. Only the entries of its functions may differ, by the jump
 * to later versions that a reload wrote there; those are put back. */
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "util.h"

static bool same_bytes(const struct object *a, const struct object *b)
{
    return a->file.bytes && b->file.bytes && a->file.size == b->file.size && object_read_later(a) &&
           object_read_later(b) && !memcmp(a->file.bytes, b->file.bytes, a->file.size);
}

/* The version of obj's name with the same bytes that a reuse can go back
 * to: one whose records are whole (the first, and the ones most recently
 * current keep theirs), loaded by a reload (the program's first link
 * holds every object together), and not the current one. */
static struct object *earlier_same(const struct program *pg, const struct object *obj)
{
    const struct version_list *vl = strmap_get(&pg->versions, obj->name);
    if (!vl || !obj->file.bytes)
        return NULL;
    for (size_t i = 1; i <= vl->nrecent; i++) {
        struct object *w = vl->v[i < vl->nrecent ? vl->recent[i] : 0];
        if (w != versions_current(vl) && w->elf && w->link != pg->gens[0] && same_bytes(w, obj))
            return w;
    }
    return NULL;
}

bool reuse_same_objects(const struct link *nl, const struct link *g)
{
    if (nl->nobjs != g->nobjs)
        return false;
    for (size_t i = 0; i < nl->nobjs; i++) {
        if (strcmp(nl->objs[i]->name, g->objs[i]->name) || !same_bytes(nl->objs[i], g->objs[i]))
            return false;
    }
    return true;
}

struct link *reuse_candidate(const struct program *pg, const struct link *nl)
{
    struct link *g = NULL;
    for (size_t i = 0; i < nl->nobjs; i++) {
        struct object *w = earlier_same(pg, nl->objs[i]);
        if (!w || (g && w->link != g))
            return NULL;
        g = w->link;
    }
    return g && reuse_same_objects(nl, g) ? g : NULL;
}

/* Would the link write anything but code and constants, or run anything?
 * Every variable must keep the storage it has (nothing to initialize or
 * copy, so the program's data stays exactly as it is), no thread-local
 * block may be needed (ld.so would get one), and no IFUNC resolver may be
 * defined (it would run at the earlier image's address). */
bool reuse_needs_nothing_new(const struct link *nl, const struct bind_result *b)
{
    if (b->moved || b->migrated || b->user_migrated || b->reset || b->added || b->ncopies ||
        b->nmigrations)
        return false;
    for (size_t i = 0; i < nl->nobjs; i++) {
        const struct object *obj = nl->objs[i];
        for (size_t j = 1; j < obj->nsecs; j++) {
            const struct section *s = &obj->secs[j];
            bool writable = s->out && (s->out->seg == SEG_DATA || (s->flags & SHF_TLS));
            if (writable && s->size && !s->storage_unused && !s->discarded)
                return false;
        }
        for (size_t j = 1; j < obj->nsyms; j++)
            if (obj->syms[j]->type == STT_GNU_IFUNC && obj->syms[j]->file == obj)
                return false;
    }
    return true;
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

/* The entries of g's functions that a reload may have made jump (the
 * redirectable ones), sorted. */
struct entries {
    uintptr_t *at;
    size_t n, cap;
};

static void collect_entries(const struct link *g, struct entries *e)
{
    for (size_t i = 0; i < g->nobjs; i++) {
        size_t n;
        const struct func *f = object_functions(g->objs[i], &n);
        for (size_t j = 0; j < n; j++)
            if (func_is_redirectable(&f[j]))
                ARRAY_PUSH(e->at, e->n, e->cap, f[j].body);
    }
    if (e->n)
        qsort(e->at, e->n, sizeof *e->at, by_address);
}

static bool is_entry(const struct entries *e, uintptr_t addr)
{
    return e->n && bsearch(&addr, e->at, e->n, sizeof *e->at, by_address);
}

/* Compare one segment; a difference is allowed only where a reload wrote
 * a jump at a function's entry, and becomes an entry to restore. */
static bool same_segment(const struct image *im, const struct entries *entries, enum segment seg,
                         struct entry_restore **r, size_t *n, size_t *cap)
{
    uintptr_t at = im->seg_start[seg], end = im->seg_end[seg];
    const uint8_t *want = image_bytes(im, at), *have = (const uint8_t *)at;
    while (at < end) {
        size_t left = end - at;
        if (!memcmp(want, have, left))
            return true;
        size_t k = 0;
        while (want[k] == have[k])
            k++;
        /* the first differing byte lies in the entry's five */
        uintptr_t entry = 0;
        for (size_t back = 0; back < JMP_SIZE && back <= k && !entry; back++)
            if (have[k - back] == 0xe9 && k - back + JMP_SIZE <= left && is_entry(entries, at + k - back))
                entry = at + k - back;
        if (!entry)
            return false;
        struct entry_restore e = {entry, {0}};
        memcpy(e.bytes, image_bytes(im, entry), JMP_SIZE);
        ARRAY_PUSH(*r, *n, *cap, e);
        size_t skip = entry + JMP_SIZE - at;
        at += skip;
        want += skip;
        have += skip;
    }
    return true;
}

bool reuse_same_image(const struct link *nl, const struct link *g, struct entry_restore **r, size_t *n)
{
    const struct image *a = nl->image, *b = g->image;
    size_t cap = 0;
    *r = NULL;
    *n = 0;
    /* (not the sizes: g gave back its unused tail, image_trim_unused) */
    if (a->got != b->got || a->stubs != b->stubs ||
        memcmp(a->seg_start, b->seg_start, sizeof a->seg_start) ||
        memcmp(a->seg_end, b->seg_end, sizeof a->seg_end))
        return false;
    struct entries entries = {0};
    collect_entries(g, &entries);
    bool same = true;
    for (int seg = 0; seg < NSEGMENTS && same; seg++)
        same = seg == SEG_DATA || same_segment(a, &entries, (enum segment)seg, r, n, &cap);
    xfree(entries.at);
    return same;
}
