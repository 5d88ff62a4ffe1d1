#include "dwarflib.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* libdwarf's code reads stdout and stderr with 32-bit displacements,
 * which would give hotld copies of libc's: the Makefile renames its
 * references to these, which hold libc's streams. */
FILE *hotld_libdwarf_stdout, *hotld_libdwarf_stderr;

static bool loaded;
static const char why_not[] = "libdwarf: not loaded (HOTLD_FAIL_LIBDWARF)";

static void load(void)
{
    const char *inject = getenv("HOTLD_FAIL_LIBDWARF");
    hotld_libdwarf_stdout = stdout;
    hotld_libdwarf_stderr = stderr;
    loaded = !(inject && *inject);
    if (!loaded)
        warn("DWARF cannot be read without libdwarf: %s", why_not);
}

bool dwarflib_load(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load);
    if (!loaded)
        fail("%s", why_not);
    return loaded;
}
