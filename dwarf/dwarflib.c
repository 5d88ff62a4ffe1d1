#define DWARFLIB_NO_MACROS
#include "dwarflib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "util.h"

struct dwarflib dwarflib;
static bool loaded;
static char why_not[512]; /* the loading's error, for every caller after */

/* Every function, or none: a library without one of them is not used. */
static bool find_all(void *lib)
{
    struct dwarflib found;
    const char *missing = NULL;
#define DWARFLIB_FIND(name)                                       \
    if (!missing && !(*(void **)&found.name = dlsym(lib, #name))) \
        missing = #name;
    DWARFLIB_FUNCTIONS(DWARFLIB_FIND)
#undef DWARFLIB_FIND
    if (missing)
        return fail("%s: no function %s", HOTLD_LIBDWARF, missing), false;
    dwarflib = found;
    return true;
}

/* Fault injection for tests: HOTLD_FAIL_LIBDWARF=1 makes the library
 * fail to load, as on a system without it (tests/reload/faults.sh). */
static void *open_library(void)
{
    const char *inject = getenv("HOTLD_FAIL_LIBDWARF");
    if (inject && *inject)
        return fail("%s: not loaded (HOTLD_FAIL_LIBDWARF)", HOTLD_LIBDWARF), NULL;
    void *lib = dlopen(HOTLD_LIBDWARF, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        fail("%s", dlerror());
    return lib;
}

static void load(void)
{
    void *lib = open_library();
    if (lib && !(loaded = find_all(lib)))
        dlclose(lib);
    if (!loaded) {
        snprintf(why_not, sizeof why_not, "%s", last_error());
        warn("DWARF cannot be read without libdwarf: %s", why_not);
    }
}

bool dwarflib_load(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load);
    if (!loaded)
        fail("%s", why_not);
    return loaded;
}
