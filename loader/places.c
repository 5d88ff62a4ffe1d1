/* An object's variables and functions by place: which one a relocation
 * to "section + offset" reaches. Assemblers write a reference to a
 * static as one to its section, so a static that moves within its
 * section (another was added before it) is found by its name again only
 * through this. Sorted when first asked, as most objects are never
 * replaced. */
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "util.h"

static bool is_holder(const struct object *obj, size_t i, const Elf64_Sym *s)
{
    unsigned type = GELF_ST_TYPE(s->st_info);
    return (type == STT_OBJECT || type == STT_FUNC || type == STT_TLS) && s->st_size && s->st_shndx &&
           s->st_shndx < obj->nsecs && obj->syms[i] && strncmp(obj->syms[i]->name, ".L", 2);
}

static int by_place(const void *a, const void *b, void *ctx)
{
    const Elf64_Sym *syms = ctx, *x = &syms[*(const uint32_t *)a], *y = &syms[*(const uint32_t *)b];
    if (x->st_shndx != y->st_shndx)
        return x->st_shndx < y->st_shndx ? -1 : 1;
    if (x->st_value != y->st_value)
        return x->st_value < y->st_value ? -1 : 1;
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1; /* aliases: the first listed first */
}

static void sort_places(struct object *obj, const Elf64_Sym *syms, size_t nsyms)
{
    obj->places = xcalloc(nsyms + 1, sizeof *obj->places);
    for (size_t i = 1; i < nsyms && i < obj->nsyms; i++)
        if (is_holder(obj, i, &syms[i]))
            obj->places[obj->nplaces++] = (uint32_t)i;
    qsort_r(obj->places, obj->nplaces, sizeof *obj->places, by_place, (void *)syms);
}

size_t object_symbol_holding(struct object *obj, size_t shndx, uint64_t at)
{
    size_t nsyms;
    const Elf64_Sym *syms = object_raw_symbols(obj, &nsyms);
    if (!obj->places)
        sort_places(obj, syms, nsyms);
    size_t lo = 0, hi = obj->nplaces; /* the first past (shndx, at) */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const Elf64_Sym *s = &syms[obj->places[mid]];
        if (s->st_shndx < shndx || (s->st_shndx == shndx && s->st_value <= at))
            lo = mid + 1;
        else
            hi = mid;
    }
    /* The one that starts last at or before `at`; of aliases, the first
     * listed that holds it. */
    if (!lo || syms[obj->places[lo - 1]].st_shndx != shndx)
        return 0;
    uint64_t start = syms[obj->places[lo - 1]].st_value;
    size_t found = 0;
    for (size_t k = lo; k-- > 0 && syms[obj->places[k]].st_shndx == shndx && syms[obj->places[k]].st_value == start;)
        if (at - start < syms[obj->places[k]].st_size)
            found = obj->places[k];
    return found;
}

void object_places_free(struct object *obj)
{
    xfree(obj->places);
    obj->places = NULL;
    obj->nplaces = 0;
}
