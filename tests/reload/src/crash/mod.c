/* The reloaded object: version 1 counts; version 2 follows a NULL pointer
 * once the count passes 1; version 3 divides by zero; version 4 aborts.
 * Every version counts its updates in calls first, so a version that
 * crashes has changed it: a rollback puts back the value it had when the
 * reload replaced it. */
#include <stdlib.h>
#include "rt.h"

int *mod_nowhere; /* never set; not static, so no compiler assumes it */
static volatile int zero;
static int calls;

RELOADABLE int mod_calls(void)
{
    return calls;
}

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
    calls++;
    *state = next(*state);
    return *state;
}
