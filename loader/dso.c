/* Shared libraries are loaded by the system's dynamic linker (dlopen) and
 * queried with dlsym, so symbol versions, IFUNCs and library constructors
 * behave exactly as in a dynamically linked executable. */
#include <dlfcn.h>
#include <stdlib.h>

#include "linker.h"
#include "util.h"

struct dso *dso_new(const char *path, bool as_needed)
{
    struct dso *d = xcalloc(1, sizeof *d);
    d->path = xstrdup(path);
    d->as_needed = as_needed;
    /* An AS_NEEDED library that is already in the process costs nothing;
     * otherwise it is opened only if a symbol is still missing. */
    d->handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL | (as_needed ? RTLD_NOLOAD : 0));
    if (!d->handle && !as_needed) {
        fail("%s: cannot load shared library: %s", path, dlerror());
        free(d->path);
        free(d);
        return NULL;
    }
    return d;
}

/* A symbol's address in d (or a library d depends on), or NULL. */
void *dso_lookup(struct dso *d, const char *name, bool open_as_needed)
{
    if (!d->handle) {
        if (!open_as_needed)
            return NULL;
        d->handle = dlopen(d->path, RTLD_NOW | RTLD_GLOBAL);
        d->as_needed = false;
        if (!d->handle)
            return NULL;
    }
    dlerror();
    void *p = dlsym(d->handle, name);
    return dlerror() ? NULL : p;
}
