/* Functions whose type changed in a reload while objects it does not
 * replace still call them as they were. Private to reload/. */
#ifndef HOTLD_SIGNATURES_H
#define HOTLD_SIGNATURES_H

#include "databind.h"
#include "linker.h"

/* A warning in r for each global function of new whose parameters or
 * result, as the two versions' DWARF say, differ from old's, and that an
 * object of live the reload leaves as it is refers to. */
void note_changed_signatures(const struct link *live, struct object *old, struct object *new,
                             struct bind_result *r);

#endif
