/* Constant tables a reload gives new values. Private to reload/. */
#ifndef HOTLD_CONSTANTS_H
#define HOTLD_CONSTANTS_H

#include "databind.h"
#include "linker.h"

/* Is s a constant obj defines: data a symbol names in read-only data or
 * .data.rel.ro, not a C++ vtable or type_info (vtables.c has those), a
 * literal, or a weak or COMDAT instance? */
bool is_named_constant(const struct symbol *s, const struct object *obj);
/* Do pointers to `offset` in old's constant o lead to n, new's, after
 * the reload (o and n one constant of the same name in each)? */
bool constant_follows(struct object *old, const struct symbol *o, struct object *new, const struct symbol *n,
                      uint64_t offset);
/* The constants of new whose value is not old's, in r->repoints: the
 * pointers the program keeps into the old table are to lead to the new
 * one at the commit (pointerscan.c), all of them if the size did not
 * change, else those to its start. */
void repoint_changed_constants(struct object *old, struct object *new, struct bind_result *r);

#endif
