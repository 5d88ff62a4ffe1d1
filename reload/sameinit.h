/* Whether a variable a reload keeps starts the same in its new version.
 * Private to reload/. */
#ifndef HOTLD_SAMEINIT_H
#define HOTLD_SAMEINIT_H

#include "linker.h"

/* The same initial bytes, and relocations that reach the same things
 * (reloctarget.h), for old and new, two versions of a variable of the same
 * size. Each version's relocations are found through its own order. */
bool same_initial_value(struct rela_order *old_order, const struct symbol *old, struct rela_order *new_order,
                        const struct symbol *new);

#endif
