/* Constructors and destructors: .preinit_array, .init_array (with .ctors)
 * and .fini_array (with .dtors), in the order GNU ld's default script puts
 * them: numbered sections by priority, then the rest in link order. */
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "util.h"

/* Append the function pointers of one output section to *list. */
static void collect(struct link *ld, const char *name, uintptr_t **list, size_t *n)
{
    size_t cap = 0;
    for (size_t i = 0; i < ld->noutsecs; i++) {
        struct outsec *o = ld->outsecs[i];
        if (strcmp(o->name, name))
            continue;
        for (size_t j = 0; j < o->nin; j++) {
            struct section *s = o->in[j];
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
    collect(ld, ".preinit_array", &im->preinit, &im->npreinit);
    collect(ld, ".init_array", &im->init, &im->ninit);
    collect(ld, ".fini_array", &im->fini, &im->nfini);
}

typedef void init_fn(int, char **, char **);

void run_init(const struct image *im, int argc, char **argv, char **envp)
{
    for (size_t i = 0; i < im->npreinit; i++)
        ((init_fn *)im->preinit[i])(argc, argv, envp);
    for (size_t i = 0; i < im->ninit; i++)
        ((init_fn *)im->init[i])(argc, argv, envp);
}

void run_fini(const struct image *im)
{
    for (size_t i = im->nfini; i-- > 0;)
        ((void (*)(void))im->fini[i])();
}
