/* Classes, structs and unions whose layout a reload changes (classes.c).
 * A reload migrates the variables of such a type that it knows, but
 * objects of it made with new or malloc, or on a stack, keep the layout
 * they were made with, which new code misreads. */
#ifndef HOTLD_CLASSES_H
#define HOTLD_CLASSES_H

#include "databind.h"

struct debug_info;

/* Each type of new's that a pointer or reference type leads to, and
 * whose layout differs from old's type of that name, is a conflict. */
int check_class_layouts(const struct debug_info *old, const struct debug_info *new, const struct object *obj,
                        struct bind_result *r);
/* A conflict about objects made before the reload, which --on-conflict
 * decides: with a warning in r (0), or failing the reload (-1). what:
 * "class 'Square'"; why: what goes wrong. */
int class_conflict(struct bind_result *r, const struct object *obj, const char *what, const char *why);

#endif
