/* The reloaded object: version 1 counts; version 2 follows a NULL pointer
 * once the count passes 1; version 3 divides by zero; version 4 aborts. */
#include <stdlib.h>
#include "rt.h"

int *mod_nowhere; /* never set; not static, so no compiler assumes it */
static volatile int zero;

RELOADABLE int mod_version(void)
{
    return opaque_int(VER);
}

RELOADABLE static int next(int n)
{
#if VER == 2
    if (n > 1)
        return *mod_nowhere;
#elif VER == 3
    return n / zero;
#elif VER == 4
    abort();
#endif
    return n + 1;
}

RELOADABLE int update(int *state)
{
    *state = next(*state);
    return *state;
}
