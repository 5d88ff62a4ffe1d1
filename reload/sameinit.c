/* Whether a variable a reload keeps starts the same in its new version.
 * Its running value is kept either way; a changed initializer is said, or
 * the user would wonder why the edit did nothing. */
#include <string.h>

#include "reloctarget.h"
#include "sameinit.h"

static bool all_zero(const uint8_t *p, uint64_t n)
{
    return !n || (!p[0] && !memcmp(p, p + 1, n - 1));
}

static const uint8_t zeros[1];

/* A variable's initial bytes, before relocation: zeros for .bss or a
 * common symbol (given as one zero byte); NULL if they are not known (a
 * section without its bytes, or not holding the whole variable). */
static const uint8_t *initial_bytes(const struct symbol *s)
{
    const struct section *sec = s->sec;
    if (sec->type == SHT_NOBITS)
        return zeros;
    return sec->data && s->value <= sec->size && s->size <= sec->size - s->value ? sec->data + s->value : NULL;
}

/* The same bytes, or not known: a reload says only what it knows changed. */
static bool same_bytes(const struct symbol *a, const struct symbol *b)
{
    const uint8_t *x = initial_bytes(a), *y = initial_bytes(b);
    if (!x || !y || x == y)
        return true;
    if (x == zeros || y == zeros)
        return all_zero(x == zeros ? y : x, a->size);
    return !memcmp(x, y, a->size);
}

/* The relocations that patch s, n of them; none for a common symbol,
 * whose section is the link's own. */
static const Elf64_Rela *const *relas_of(struct rela_order *order, const struct symbol *s, size_t *n)
{
    *n = 0;
    return s->sec->index ? relas_within(order, s->sec, s->value, s->value + s->size, n) : NULL;
}

bool same_initial_value(struct rela_order *old_order, const struct symbol *old, struct rela_order *new_order,
                        const struct symbol *new)
{
    if (old->size != new->size || !same_bytes(old, new))
        return false;
    size_t nold, nnew;
    const Elf64_Rela *const *ro = relas_of(old_order, old, &nold), *const *rn = relas_of(new_order, new, &nnew);
    if (nold != nnew)
        return false;
    struct object_view vo = object_view_of(old->sec->obj), vn = object_view_of(new->sec->obj);
    for (size_t i = 0; i < nold; i++)
        if (ro[i]->r_offset - old->value != rn[i]->r_offset - new->value ||
            !(same_reloc_target(&vo, ro[i], &vn, rn[i]) || same_constant_reached(&vo, ro[i], &vn, rn[i])))
            return false;
    return true;
}
