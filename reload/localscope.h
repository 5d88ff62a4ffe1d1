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

/* Are a and b, symbols of two versions (ia, ib: their indexes), the
 * statics of functions of one name, as far as their scopes say? True
 * unless both are numbered and their functions differ or are unknown. */
bool same_local_scope(const struct symbol *a, const char *const *scopes_a, size_t ia, const struct symbol *b,
                      const char *const *scopes_b, size_t ib);

#endif
