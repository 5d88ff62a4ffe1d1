/* The program finds itself: for base/findself.c's dladdr and kin, an
 * address of the program's image is answered as in the linked
 * executable: the file is the program (its argv[0]), its base the first
 * image's, and a symbol is named only if the program exports it
 * (-rdynamic, --dynamic-list), since ld.so reads only the dynamic symbol
 * table.
 *
 * A function's code may be its first version's (where its address
 * stays) or its newest body; both are looked at. During a reload's
 * commit the records change, and the answer is libc's (no name). */
#include "findself.h"
#include "session.h"

static bool in_image(const struct image *im, uintptr_t addr)
{
    return im->base && addr >= im->base && addr - im->base < im->size;
}

static bool in_program(const struct program *pg, uintptr_t addr)
{
    for (size_t g = 0; g < pg->ngens; g++)
        if (in_image(pg->gens[g]->image, addr))
            return true;
    return false;
}

static bool holds(uintptr_t start, uint64_t size, uintptr_t addr)
{
    return start && addr >= start && (addr - start < size || (size == 0 && addr == start));
}

/* The exported symbol of the program that holds addr, nearest below. */
static const struct symbol *exported_at(const struct program *pg, uintptr_t addr, uintptr_t *start)
{
    const struct symbol *best = NULL;
    const struct strmap *t = &pg->live->symtab;
    for (size_t i = 0; exports_count() && i < t->cap; i++) {
        const struct symbol *s = t->slots[i].value;
        if (!s || (s->kind != SYM_DEFINED && s->kind != SYM_COMMON))
            continue;
        uintptr_t at = holds(s->call_addr, s->size, addr) ? s->call_addr : holds(s->addr, s->size, addr) ? s->addr : 0;
        if (at && (!best || at > *start) && exports_has(s->name))
            best = s, *start = at;
    }
    return best;
}

/* Fill info for an address of the program; false if it is not one. */
static bool own_place(const void *addr, Dl_info *info)
{
    struct program *pg = &the_session.program;
    if (!pg->live || pthread_mutex_trylock(&pg->lock) != 0)
        return false;
    bool ours = in_program(pg, (uintptr_t)addr);
    if (ours) {
        uintptr_t start = 0;
        const struct symbol *sym = exported_at(pg, (uintptr_t)addr, &start);
        *info = (Dl_info){pg->argv ? pg->argv[0] : "", (void *)pg->gens[0]->image->base,
                          sym ? sym->name : NULL, sym ? (void *)start : NULL};
    }
    pthread_mutex_unlock(&pg->lock);
    return ours;
}

void selfsym_init(void)
{
    findself_register(own_place);
}

