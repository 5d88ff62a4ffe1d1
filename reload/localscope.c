/* gcc names a function's statics and constants NAME.N (counter.0,
 * __func__.1), numbered through the file: two functions' statics of one
 * name trade numbers when the functions trade places, and an edit that
 * adds one renumbers those after it. DWARF says whose each is; without it
 * (a build without -g: pigz's), or for a constant DWARF does not name (a
 * __func__), the name alone paired second()'s counter with first()'s, and
 * led pointers kept to one function's __func__ to the other's. The
 * function that alone refers to such a symbol says whose it is. */
#include "localscope.h"

#include <stdlib.h>
#include <string.h>

#include "databind.h"
#include "reloctarget.h"
#include "util.h"

bool symbol_numbered(const struct symbol *s)
{
    return s && !s->global && symbol_base_length(s->name) != strlen(s->name);
}

const char **local_scopes(struct object *obj)
{
    size_t n;
    const struct func *fs = object_functions(obj, &n);
    struct object_view v = object_view_of(obj);
    const char **scope = xcalloc(obj->nsyms + 1, sizeof *scope);
    bool *several = xcalloc(obj->nsyms + 1, sizeof *several);
    for (size_t f = 0; f < n; f++)
        for (size_t k = 0; k < fs[f].nrelas; k++) {
            size_t i = reloc_symbol_reached(&v, fs[f].relas[k]);
            if (!i || i >= obj->nsyms || !symbol_numbered(obj->syms[i]) || (scope[i] && !strcmp(scope[i], fs[f].name)))
                continue;
            several[i] = scope[i] != NULL;
            scope[i] = fs[f].name;
        }
    for (size_t i = 0; i < obj->nsyms; i++)
        if (several[i])
            scope[i] = NULL;
    xfree(several);
    return scope;
}
