/* What a debugger sees changes with the program: the new generation gets
 * a debug image, and each older generation that loses objects gets a new
 * one with their names renamed (gdb/).
 *
 * Renaming means making an older generation's image again, whose cost is
 * that generation's size (the first one's is the whole program's), for a
 * reload of one object. So it is done only while a debugger is attached.
 * Without one, the older images are marked stale, and made again when one
 * attaches (the session's threads look), or when a core is about to be
 * written (crash.c); an attaching debugger may see the old names for a
 * tenth of a second. */
#include <stdlib.h>
#include <string.h>

#include "imagefile.h"
#include "jit.h"
#include "plan.h"
#include "util.h"

/* Made before the stop; swapped while the threads are parked, so no
 * thread runs new code before a debugger has its breakpoints there, and
 * each old image goes before its replacement comes, so breakpoints move
 * instead of doubling. A stale swap changes no image: its generation is
 * marked, once the reload is committed. */
struct debug_swap {
    struct link *ld;
    void *image, *entry;        /* the replacement; NULL: none */
    struct object **objs, **old; /* what it is made of */
    size_t n, nold;
    unsigned version;
    bool stale;                 /* no debugger: made later */
};

/* Does this reload replace or drop an object of generation g? */
static bool loses_objects(const struct link *nl, const struct link *g)
{
    for (size_t i = 0; i < nl->nsuperseded; i++)
        if (nl->superseded[i]->link == g)
            return true;
    return false;
}

/* ld's objects that still have their bytes: the current ones in objs,
 * those replaced now or earlier in old (named NAME#g). */
static void split_generation(const struct link *ld, struct debug_swap *sw)
{
    sw->objs = xcalloc(ld->nobjs + 1, sizeof *sw->objs);
    sw->old = xcalloc(ld->nobjs + 1, sizeof *sw->old);
    for (size_t i = 0; i < ld->nobjs; i++)
        if (ld->objs[i]->elf) {
            if (ld->objs[i]->superseded)
                sw->old[sw->nold++] = ld->objs[i];
            else
                sw->objs[sw->n++] = ld->objs[i];
        }
}

static void make_image(struct program *pg, struct source_list *sources, struct debug_swap *sw)
{
    size_t size;
    sw->image = sw->n + sw->nold ? elfimage_build(sw->ld, sw->objs, sw->n, sw->old, sw->nold, sw->version,
                                                  pg->source_root, sources, &size)
                                 : NULL;
    sw->entry = sw->image ? jit_entry_new(sw->image, size) : NULL;
}

static void free_swap(struct debug_swap *sw)
{
    jit_entry_free(sw->entry);
    xfree(sw->image);
    xfree(sw->objs);
    xfree(sw->old);
}

void prepare_debug_images(struct program *pg, struct plan *p)
{
    bool watched = jit_debugger_attached();
    p->swaps = xcalloc(pg->ngens + 2, sizeof *p->swaps);
    struct debug_swap *first = &p->swaps[p->nswaps++];
    if (p->again) { /* current again: its names are no longer NAME#N */
        *first = (struct debug_swap){.ld = p->again, .n = p->again->nobjs, .stale = !watched};
        first->objs = xcalloc(first->n + 1, sizeof *first->objs);
        memcpy(first->objs, p->again->objs, first->n * sizeof *first->objs);
        first->old = xcalloc(1, sizeof *first->old);
        if (watched)
            make_image(pg, NULL, first);
    } else {
        *first = (struct debug_swap){.ld = p->nl};
        split_generation(p->nl, first);
        make_image(pg, &p->sources, first);
        image_file_map(p->nl); /* for valgrind, perf, sanitizers: nothing runs it yet */
    }
    for (size_t g = 0; g < pg->ngens; g++) {
        struct link *ld = pg->gens[g];
        if (!ld->debug_entry || !loses_objects(p->nl, ld))
            continue;
        struct debug_swap *sw = &p->swaps[p->nswaps++];
        *sw = (struct debug_swap){.ld = ld, .version = g, .stale = !watched};
        split_generation(ld, sw);
        if (watched)
            make_image(pg, NULL, sw);
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
        if (!p->swaps[i].stale && p->swaps[i].ld->debug_entry)
            jit_entry_remove(p->swaps[i].ld->debug_entry);
}

/* Then the new ones come. */
void publish_debug_images(struct program *pg, struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++) {
        struct debug_swap *sw = &p->swaps[i];
        if (sw->stale) {
            sw->ld->debug_stale = pg->debug_stale = true;
            continue;
        }
        void *old_image = sw->ld->debug_image, *old_entry = sw->ld->debug_entry;
        if (sw->entry)
            jit_entry_add(sw->entry);
        sw->ld->debug_image = sw->image;
        sw->ld->debug_entry = sw->entry;
        sw->image = old_image; /* freed after the threads run again */
        sw->entry = old_entry;
    }
}

/* After a commit, the older generations' image files say what gdb says,
 * or will: a replaced function is NAME#N, one made current again by a
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
    for (size_t i = 0; i < p->nswaps; i++)
        free_swap(&p->swaps[i]);
    xfree(p->swaps);
    p->swaps = NULL;
    p->nswaps = 0;
}

/* With the lock held, the program's threads running: a debugger stops
 * them all at each change (it breaks on the JIT interface's function). */
void refresh_debug_images(struct program *pg)
{
    for (size_t g = 0; g < pg->ngens; g++) {
        struct link *ld = pg->gens[g];
        if (!ld->debug_stale)
            continue;
        struct debug_swap sw = {.ld = ld, .version = g};
        split_generation(ld, &sw);
        make_image(pg, NULL, &sw);
        if (ld->debug_entry)
            jit_entry_remove(ld->debug_entry);
        if (sw.entry)
            jit_entry_add(sw.entry);
        void *old_image = ld->debug_image, *old_entry = ld->debug_entry;
        ld->debug_image = sw.image;
        ld->debug_entry = sw.entry;
        sw.image = old_image;
        sw.entry = old_entry;
        free_swap(&sw);
        ld->debug_stale = false;
    }
    pg->debug_stale = false;
}
