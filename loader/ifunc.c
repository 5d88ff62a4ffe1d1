/* STT_GNU_IFUNC symbols defined by the objects. Such a symbol's value is
 * a resolver: a function that returns the implementation to use, chosen
 * for this CPU (gcc's target_clones and __attribute__((ifunc)) make
 * them). ld.so calls resolvers when it applies IRELATIVE relocations,
 * after the rest of the program is relocated and before constructors
 * run; so does hotld, once per link. From then on the symbol's address is
 * the implementation's, and every reference, call or pointer, gets it, the
 * way a shared library's IFUNC reaches the program through dlsym.
 *
 * Libraries' IFUNCs (memcpy, strlen) need nothing here: dlsym returns
 * the implementation ld.so chose. */
#include <sys/mman.h>

#include "linker.h"
#include "util.h"

bool is_own_ifunc(const struct link *ld, const struct symbol *s)
{
    return s->type == STT_GNU_IFUNC && s->kind == SYM_DEFINED && s->sec && s->sec->obj->link == ld;
}

typedef uintptr_t resolver_fn(void);

static bool defines_ifuncs(const struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++)
        for (size_t j = 1; j < ld->objs[i]->nsyms; j++)
            if (is_own_ifunc(ld, ld->objs[i]->syms[j]))
                return true;
    return false;
}

/* Call every resolver once (a symbol may be listed by several objects).
 * A scratch link calls none: each resolver stands for its symbol. */
static int call_resolvers(struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++) {
        struct object *obj = ld->objs[i];
        for (size_t j = 1; j < obj->nsyms; j++) {
            struct symbol *s = obj->syms[j];
            if (!is_own_ifunc(ld, s) || s->sec->obj != obj || s->call_addr)
                continue;
            uintptr_t chosen = ld->opts->scratch ? s->addr : ((resolver_fn *)s->addr)();
            if (!chosen)
                return fail("%s: IFUNC '%s': its resolver returned NULL", obj->name, s->name);
            s->call_addr = s->addr = chosen;
        }
    }
    return 0;
}

/* The resolvers run from the image, so its code is made executable (and
 * not writable) while they do; the references to their symbols are
 * patched afterwards. Returns 1 if any ran, 0 if the link has none. */
int ifunc_resolve(struct link *ld)
{
    if (!defines_ifuncs(ld))
        return 0;
    struct image *im = ld->image;
    uintptr_t text = im->seg_start[SEG_TEXT];
    size_t len = im->seg_end[SEG_TEXT] - text;
    if (region_protect(text, len, PROT_READ | PROT_EXEC) < 0)
        return -1;
    int rc = call_resolvers(ld);
    if (region_protect(text, len, PROT_READ | PROT_WRITE) < 0)
        return -1;
    return rc < 0 ? -1 : 1;
}
