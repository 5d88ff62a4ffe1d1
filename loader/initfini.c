/* Constructors and destructors: .preinit_array, .init_array (with .ctors)
 * and .fini_array (with .dtors), in the order GNU ld's default script puts
 * them: numbered sections by priority, then the rest in link order. */
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "util.h"

/* Append the function pointers of one output section to *list: those of
 * the objects take says yes to (every object's, with take NULL). */
static void collect(const struct link *ld, const char *name, uintptr_t **list, size_t *n,
                    bool (*take)(const struct object *obj, void *ctx), void *ctx)
{
    size_t cap = 0;
    for (size_t i = 0; i < ld->noutsecs; i++) {
        struct outsec *o = ld->outsecs[i];
        if (strcmp(o->name, name))
            continue;
        for (size_t j = 0; j < o->nin; j++) {
            struct section *s = o->in[j];
            if (take && !take(s->obj, ctx))
                continue;
            const uintptr_t *fn = (const uintptr_t *)s->addr;
            size_t count = s->size / sizeof *fn;
            for (size_t k = 0; k < count; k++) {
                uintptr_t f = fn[s->reversed ? count - 1 - k : k];
                if (f != 0 && f != (uintptr_t)-1) /* .ctors list markers */
                    ARRAY_PUSH(*list, *n, cap, f);
            }
        }
    }
}

void collect_init_fini(struct link *ld)
{
    struct image *im = ld->image;
    collect(ld, ".preinit_array", &im->preinit, &im->npreinit, NULL, NULL);
    collect(ld, ".init_array", &im->init, &im->ninit, NULL, NULL);
    collect(ld, ".fini_array", &im->fini, &im->nfini, NULL, NULL);
}

typedef void init_fn(int, char **, char **);

static void run_list(const uintptr_t *fn, size_t n, int argc, char **argv, char **envp)
{
    for (size_t i = 0; i < n; i++)
        ((init_fn *)fn[i])(argc, argv, envp);
}

void run_init(const struct image *im, int argc, char **argv, char **envp)
{
    run_list(im->preinit, im->npreinit, argc, argv, envp);
    run_list(im->init, im->ninit, argc, argv, envp);
}

size_t init_functions_of(const struct link *ld, bool (*take)(const struct object *obj, void *ctx), void *ctx,
                         uintptr_t **fns)
{
    size_t n = 0;
    *fns = NULL;
    collect(ld, ".preinit_array", fns, &n, take, ctx);
    collect(ld, ".init_array", fns, &n, take, ctx);
    return n;
}

void run_fini(const struct image *im)
{
    for (size_t i = im->nfini; i-- > 0;)
        ((void (*)(void))im->fini[i])();
}
