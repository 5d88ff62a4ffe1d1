/* The variables an object's constructors set. Private to reload/. */
#ifndef HOTLD_CTORVARS_H
#define HOTLD_CTORVARS_H

#include "linker.h"

/* Per symbol index of obj (malloc'd, obj->nsyms flags): does one of its
 * constructors, or a function of obj one of them calls, set that
 * variable or take its address (more than read it)? */
bool *constructor_variables(struct object *obj);
/* Do old and new, two versions of an object, have constructors that do
 * the same (samefunc.h), the functions they call included? */
bool same_constructors(struct object *old, struct object *new);

#endif
