/* A string its object's constructors set, which the program then grows,
 * and a C-style constructor that counts its runs. Version 2 changes only
 * a function. */
#include <string>

#include "rt.h"

static std::string the_name = "start";
static int runs;

__attribute__((constructor)) static void count_run()
{
    runs++;
}

void grow()
{
    the_name += "+";
}

const char *name()
{
    return the_name.c_str();
}

RELOADABLE int constructor_runs()
{
#if VER == 2
    return opaque_int(runs) * opaque_int(1);
#else
    return opaque_int(runs);
#endif
}
