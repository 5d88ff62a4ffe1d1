/* Definitions whose type changed in a reload while objects it does not
 * replace still use them as they were built: a function's parameters, a
 * variable's layout. Private to reload/. */
#ifndef HOTLD_STALEUSERS_H
#define HOTLD_STALEUSERS_H

#include "databind.h"
#include "linker.h"

/* A warning in r for each global function of new whose parameters or
 * result, as the two versions' DWARF say, differ from old's, and that an
 * object of live the reload leaves as it is refers to. */
void note_changed_signatures(const struct link *live, struct object *old, struct object *new,
                             struct bind_result *r);

/* A warning in r for each global variable old defines that the reload
 * migrates (r->migrations from `first` on) to a layout in which its old
 * parts are not where they were, and that an object of live the reload
 * leaves as it is refers to: that code reads and writes the old offsets. */
void note_changed_layouts(const struct link *live, struct object *old, struct bind_result *r, size_t first);

#endif
