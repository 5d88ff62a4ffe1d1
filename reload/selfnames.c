/* The program finds itself: base/findself.c's dladdr and kin answer an
 * address of the program's image as in the linked executable: the file
 * is the program (its argv[0]), its base the first image's, and a symbol
 * is named only if the program exports it (-rdynamic, --dynamic-list),
 * since ld.so reads only the dynamic symbol table. A function's code may
 * be its first version's (where its address stays) or its newest body;
 * both are places of its name.
 *
 * Programs ask at any time, from any thread, and often (a logger, a
 * profiler's unwinder), also while a reload runs. So the answers come
 * from a table that is rebuilt whole after the link and after each
 * reload's commit, then published with one atomic store: the images'
 * spans and the exported symbols' places, sorted by address, each with
 * the furthest end of any place up to it, so a lookup is a binary search
 * that never takes a lock. A table replaced is freed once a moment is
 * seen with no lookup under way; until then it waits in a list. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "findself.h"
#include "program.h"
#include "util.h"

struct place {
    uintptr_t start;
    uint64_t size;
    const char *name;
    uintptr_t reach;            /* the furthest end of this and every place before */
};

struct self_table {
    size_t size;                /* of its mapping */
    struct place *places;
    size_t nplaces;
    uintptr_t *spans;           /* lo, hi of each generation's image */
    size_t nspans;
    const char *file;
    uintptr_t base;
    struct self_table *retired_next;
};

static _Atomic(struct self_table *) current;
static atomic_int lookups;      /* under way, in any table */
static struct self_table *retired;

static uintptr_t end_of(const struct place *p)
{
    return p->start + (p->size ? p->size : 1);
}

static bool holds(const struct place *p, uintptr_t addr)
{
    return addr >= p->start && addr < end_of(p);
}

static int by_start(const void *a, const void *b)
{
    const struct place *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

struct place_walk {
    const struct program *pg;
    void (*fn)(struct self_table *, uintptr_t, const struct symbol *);
    struct self_table *t;
    size_t n;
};

static void visit_export(const char *name, void *ctx)
{
    struct place_walk *w = ctx;
    const struct symbol *s = strmap_get(&w->pg->live->symtab, name);
    if (!s || (s->kind != SYM_DEFINED && s->kind != SYM_COMMON) || !s->addr)
        return;
    w->n += 1 + (s->call_addr && s->call_addr != s->addr);
    if (w->fn) {
        w->fn(w->t, s->addr, s);
        if (s->call_addr && s->call_addr != s->addr)
            w->fn(w->t, s->call_addr, s);
    }
}

/* Calls fn for each place of an exported symbol of the live link: its
 * first address, and its newest body if that is elsewhere. The exports
 * are walked, not the link's symbols: a C++ program has tens of
 * thousands of these and exports a few. */
static size_t each_place(const struct program *pg, void (*fn)(struct self_table *, uintptr_t, const struct symbol *),
                         struct self_table *t)
{
    struct place_walk w = {pg, fn, t, 0};
    exports_each(visit_export, &w);
    return w.n;
}

/* The name is the exports' own copy, mapped for the process's life: a
 * caller keeps dli_sname as long as it likes, as glibc's points into a
 * loaded library. */
static void add_place(struct self_table *t, uintptr_t start, const struct symbol *s)
{
    t->places[t->nplaces++] = (struct place){start, s->size, exports_name(s->name), 0};
}

/* A table is one mapping of its own, not heap memory: freeing it later,
 * from another thread, must not change the heap the program sees (a
 * program that corrupts its heap must fail as it does when linked). */
static struct self_table *new_table(const struct program *pg)
{
    size_t nplaces = each_place(pg, NULL, NULL);
    size_t size = sizeof(struct self_table) + nplaces * sizeof(struct place) + 2 * pg->ngens * sizeof(uintptr_t);
    void *at = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (at == MAP_FAILED)
        return NULL;
    struct self_table *t = at;
    t->size = size;
    t->places = (struct place *)(t + 1);
    t->spans = (uintptr_t *)(t->places + nplaces);
    each_place(pg, add_place, t);
    if (t->nplaces)
        qsort(t->places, t->nplaces, sizeof *t->places, by_start);
    uintptr_t reach = 0;
    for (size_t i = 0; i < t->nplaces; i++) {
        reach = end_of(&t->places[i]) > reach ? end_of(&t->places[i]) : reach;
        t->places[i].reach = reach;
    }
    for (size_t g = 0; g < pg->ngens; g++) {
        const struct image *im = pg->gens[g]->image;
        if (im->base)
            t->spans[2 * t->nspans] = im->base, t->spans[2 * t->nspans + 1] = im->base + im->size, t->nspans++;
    }
    t->file = pg->argv ? pg->argv[0] : "";
    t->base = pg->gens[0]->image->base;
    return t;
}

void self_names_publish(const struct program *pg)
{
    struct self_table *t = new_table(pg);
    if (!t)
        return; /* the last table stays: names of what it knew */
    struct self_table *old = atomic_exchange(&current, t);
    if (old)
        old->retired_next = retired, retired = old;
    /* A lookup counts itself before it reads current: with none under way
     * now, every later one reads the new table. */
    if (atomic_load(&lookups) == 0)
        while (retired) {
            struct self_table *r = retired;
            retired = r->retired_next;
            munmap(r, r->size);
        }
}

/* The place holding addr nearest below it, or NULL: the last place that
 * starts at or below addr, then back while an earlier one may reach it. */
static const struct place *place_of(const struct self_table *t, uintptr_t addr)
{
    size_t below = COUNT_STARTING_UPTO(t->places, t->nplaces, start, addr);
    for (size_t i = below; i-- > 0 && t->places[i].reach > addr;)
        if (holds(&t->places[i], addr))
            return &t->places[i];
    return NULL;
}

static bool in_spans(const struct self_table *t, uintptr_t addr)
{
    for (size_t i = 0; i < t->nspans; i++)
        if (addr >= t->spans[2 * i] && addr < t->spans[2 * i + 1])
            return true;
    return false;
}

/* Fill info for an address of the program; false if it is not one. */
static bool own_place(const void *addr, Dl_info *info)
{
    atomic_fetch_add(&lookups, 1);
    const struct self_table *t = atomic_load(&current);
    bool ours = t && in_spans(t, (uintptr_t)addr);
    if (ours) {
        const struct place *p = place_of(t, (uintptr_t)addr);
        *info = (Dl_info){t->file, (void *)t->base, p ? p->name : NULL, p ? (void *)p->start : NULL};
    }
    atomic_fetch_sub(&lookups, 1);
    return ours;
}

void self_names_init(void)
{
    findself_register(own_place);
}
