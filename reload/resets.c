/* --reset NAME: the variables a reloading command starts again from
 * their initial values, and the names they go by. */
#include <string.h>

#include "databind.h"
#include "demangle.h"
#include "util.h"

/* clang names a C function's static "function.static". */
static bool is_clang_static(const char *symbol, const char *name)
{
    const char *dot = strrchr(symbol, '.');
    return dot && !strcmp(dot + 1, name);
}

int reset_wanted(const struct link_options *o, const char *symbol)
{
    size_t base = symbol_base_length(symbol);
    for (size_t i = 0; i < o->nreset; i++) {
        const char *w = o->reset[i];
        if (!strcmp(w, symbol) || (strlen(w) == base && !strncmp(w, symbol, base)) || demangles_to(symbol, w) ||
            is_clang_static(symbol, w))
            return (int)i;
    }
    return -1;
}

int resets_done(const struct link_options *o, const struct bind_result *r)
{
    for (size_t i = 0; i < o->nreset; i++)
        if (!r->reset_found || !r->reset_found[i])
            return fail("--reset %s: the program's objects have no variable of that name whose value a reload "
                        "keeps", o->reset[i]);
    return 0;
}
