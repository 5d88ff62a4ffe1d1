/* Whether two versions of a function do the same: what a reload reports
 * as changed. */
#include <string.h>

#include "reloctarget.h"
#include "samefunc.h"

/* Whether two versions of a function do the same: the same bytes, and
 * relocations that reach the same things. An edited string literal or
 * constant changes what a function does without changing its bytes. */
bool same_function(const struct func *a, const struct func *b)
{
    if (a->size != b->size || !a->bytes || !b->bytes || memcmp(a->bytes, b->bytes, a->size))
        return false;
    if (a->nrelas != b->nrelas)
        return false;
    struct object_view va = object_view_of(a->sec->obj), vb = object_view_of(b->sec->obj);
    for (size_t i = 0; i < a->nrelas; i++) {
        const Elf64_Rela *ra = a->relas[i], *rb = b->relas[i];
        if (ra->r_offset - a->offset != rb->r_offset - b->offset || !same_reloc_target(&va, ra, &vb, rb))
            return false;
    }
    return true;
}
