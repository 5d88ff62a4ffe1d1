/* Definitions whose type changed in a reload while objects it does not
 * replace still use them as they were built: a function's parameters, a
 * variable's layout. Private to reload/. */
#ifndef HOTLD_STALEUSERS_H
#define HOTLD_STALEUSERS_H

#include "databind.h"
#include "linker.h"

struct ctypes;

/* One version of an object, its DWARF and types read when first needed. */
struct version_types {
    struct object *obj;
    struct debug_info *di;
    struct ctypes *types;
};

/* The functions of one replaced object that count_functions finds
 * changed, checked as it finds them. */
struct signature_check {
    const struct link *live;
    struct bind_result *r;
    struct version_types was, now;
};

void signatures_begin(struct signature_check *c, const struct link *live, struct object *old, struct object *new,
                      struct bind_result *r);
/* f, a function of new whose code changed: a warning in r if it is
 * global, its parameters or result, as the two versions' DWARF say,
 * differ from old's, and an object of live the reload leaves as it is
 * refers to it. */
void signature_check_changed(struct signature_check *c, const struct func *f);
void signatures_end(struct signature_check *c);

/* A warning in r for each global variable old defines that the reload
 * migrates (r->migrations from `first` on) to a layout in which its old
 * parts are not where they were, and that an object of live the reload
 * leaves as it is refers to: that code reads and writes the old offsets. */
void note_changed_layouts(const struct link *live, struct object *old, struct bind_result *r, size_t first);

#endif
