/* A section's relocations in offset order, for walking those that patch
 * one function or one variable. Assemblers mostly write them so, not
 * always: each section's are sorted when first asked, and kept until the
 * caller is done, since a reload compares only a few objects. */
#include <stdlib.h>

#include "linker.h"
#include "util.h"

static int by_offset(const void *a, const void *b)
{
    const Elf64_Rela *x = *(const Elf64_Rela *const *)a, *y = *(const Elf64_Rela *const *)b;
    if (x->r_offset != y->r_offset)
        return x->r_offset < y->r_offset ? -1 : 1;
    return x < y ? -1 : x > y; /* as the file lists them */
}

static const Elf64_Rela **sorted_relas(const struct section *sec)
{
    const Elf64_Rela **sorted = xcalloc(sec->nrelas + 1, sizeof *sorted);
    for (size_t k = 0; k < sec->nrelas; k++)
        sorted[k] = &sec->relas[k];
    qsort(sorted, sec->nrelas, sizeof *sorted, by_offset);
    return sorted;
}

/* The first of n sorted relocations at or after offset. */
static size_t first_at(const Elf64_Rela *const *relas, size_t n, uint64_t offset)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (relas[mid]->r_offset < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const Elf64_Rela *const *relas_within(struct rela_order *o, const struct section *sec, uint64_t from,
                                      uint64_t to, size_t *n)
{
    if (!o->by_section || o->obj != sec->obj) {
        rela_order_free(o);
        o->obj = sec->obj;
        o->by_section = xcalloc(sec->obj->nsecs + 1, sizeof *o->by_section);
    }
    const Elf64_Rela **sorted = o->by_section[sec->index];
    if (!sorted)
        sorted = o->by_section[sec->index] = sorted_relas(sec);
    size_t lo = first_at(sorted, sec->nrelas, from);
    *n = first_at(sorted, sec->nrelas, to) - lo;
    return sorted + lo;
}

void rela_order_free(struct rela_order *o)
{
    for (size_t i = 0; o->by_section && i < o->obj->nsecs; i++)
        xfree(o->by_section[i]);
    xfree(o->by_section);
    *o = (struct rela_order){0};
}
