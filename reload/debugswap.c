/* What a debugger sees changes with the program: the new generation gets
 * a debug image, and each older generation that loses objects gets a new
 * one with their names renamed (gdb/). */
#include <stdlib.h>
#include <string.h>

#include "imagefile.h"
#include "jit.h"
#include "plan.h"
#include "util.h"

/* What a debugger sees changes with the program: the new generation gets
 * an image, and each older generation that loses objects gets a new one
 * without them (made before the stop; swapped while the threads are
 * parked, so no thread runs new code before a debugger has its breakpoints
 * there, and each old image goes before its replacement comes, so
 * breakpoints move instead of doubling). */
struct debug_swap {
    struct link *ld;
    void *image, *entry;        /* the replacement; NULL: none */
    struct object **objs, **old; /* what it was made of */
    size_t n, nold;
    unsigned version;
};

/* Does this reload replace or drop an object of generation g? */
static bool loses_objects(const struct link *nl, const struct link *g)
{
    for (size_t i = 0; i < nl->nsuperseded; i++)
        if (nl->superseded[i]->link == g)
            return true;
    return false;
}

static struct object **copy_list(struct object *const *list, size_t n)
{
    struct object **copy = xcalloc(n + 1, sizeof *copy);
    if (n)
        memcpy(copy, list, n * sizeof *copy);
    return copy;
}

static void make_debug_image(struct program *pg, struct link *ld, struct object **objs, size_t n,
                             struct object **old, size_t nold, unsigned version,
                             struct source_list *sources, struct debug_swap *sw)
{
    size_t size;
    *sw = (struct debug_swap){.ld = ld, .n = n, .nold = nold, .version = version,
                              .objs = copy_list(objs, n), .old = copy_list(old, nold)};
    sw->image = n + nold ? elfimage_build(ld, objs, n, old, nold, version, pg->source_root, sources, &size)
                         : NULL;
    sw->entry = sw->image ? jit_entry_new(sw->image, size) : NULL;
}

void prepare_debug_images(struct program *pg, struct plan *p)
{
    p->swaps = xcalloc(pg->ngens + 2, sizeof *p->swaps);
    if (p->again) /* current again: its names are no longer NAME#N */
        make_debug_image(pg, p->again, p->again->objs, p->again->nobjs, NULL, 0, 0, NULL,
                         &p->swaps[p->nswaps++]);
    else {
        make_debug_image(pg, p->nl, p->nl->objs, p->nl->nobjs, NULL, 0, 0, &p->sources,
                         &p->swaps[p->nswaps++]);
        image_file_map(p->nl); /* for valgrind, perf, sanitizers: nothing runs it yet */
    }
    for (size_t g = 0; g < pg->ngens; g++) {
        struct link *ld = pg->gens[g];
        if (!ld->debug_entry || !loses_objects(p->nl, ld))
            continue;
        /* objects replaced now or earlier keep their names, as NAME@g */
        struct object **keep = xcalloc(ld->nobjs + 1, sizeof *keep);
        struct object **old = xcalloc(ld->nobjs + 1, sizeof *old);
        size_t n = 0, nold = 0;
        for (size_t i = 0; i < ld->nobjs; i++)
            if (ld->objs[i]->elf) {
                if (ld->objs[i]->superseded)
                    old[nold++] = ld->objs[i];
                else
                    keep[n++] = ld->objs[i];
            }
        make_debug_image(pg, ld, keep, n, old, nold, g, NULL, &p->swaps[p->nswaps++]);
        xfree(keep);
        xfree(old);
    }
}

/* Images change before any code is patched: a debugger removing a
 * breakpoint it had put at an old function's entry writes back the byte it
 * saved (gdb does so when it re-sets breakpoints for the new image), which
 * would break the jump a reload writes there. Old images go first, so that
 * breakpoints move instead of doubling. */
void retire_debug_images(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++)
        if (p->swaps[i].ld->debug_entry)
            jit_entry_remove(p->swaps[i].ld->debug_entry);
}

/* Then the new ones come. */
void publish_debug_images(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++) {
        struct debug_swap *sw = &p->swaps[i];
        void *old_image = sw->ld->debug_image, *old_entry = sw->ld->debug_entry;
        if (sw->entry)
            jit_entry_add(sw->entry);
        sw->ld->debug_image = sw->image;
        sw->ld->debug_entry = sw->entry;
        sw->image = old_image; /* freed after the threads run again */
        sw->entry = old_entry;
    }
}

/* After a commit, the older generations' image files say what gdb now
 * says: a replaced function is NAME#N, one made current again by a
 * rollback is NAME. A new generation's file has its names already. */
void rename_image_files(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++) {
        struct debug_swap *sw = &p->swaps[i];
        if (sw->ld != p->nl || p->again)
            image_file_rename(sw->ld, sw->objs, sw->n, sw->old, sw->nold, sw->version);
    }
}

/* After a commit: the images replaced; after a failure: the ones made. */
void free_debug_swaps(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++) {
        jit_entry_free(p->swaps[i].entry);
        xfree(p->swaps[i].image);
        xfree(p->swaps[i].objs);
        xfree(p->swaps[i].old);
    }
    xfree(p->swaps);
    p->swaps = NULL;
    p->nswaps = 0;
}
