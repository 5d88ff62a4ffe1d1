/* Whose a function's static is, without DWARF (localscope.c). Private to
 * reload/. */
#ifndef HOTLD_LOCALSCOPE_H
#define HOTLD_LOCALSCOPE_H

#include "linker.h"

/* Per symbol index of obj (malloc'd, obj->nsyms entries): for a local
 * symbol gcc numbered (NAME.N), the name of the one function of obj that
 * refers to it; NULL for any other symbol, or if no function or several
 * do. The names are obj's own. */
const char **local_scopes(struct object *obj);

/* Is s a local symbol gcc numbered (a function's static or constant,
 * NAME.N)? */
bool symbol_numbered(const struct symbol *s);

#endif
