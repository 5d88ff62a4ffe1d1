/* A file static and a function static: their values are the program's
 * state. The test builds version 2 from a copy of this file of another
 * name (counter_v2.c) into the same counter.o. */
#include "rt.h"

static int counter = 100;

RELOADABLE int tick(void)
{
    static int calls;
    calls++;
    return ++counter + opaque_int(VER == 1 ? 0 : 1000) + 0 * calls;
}

RELOADABLE int calls_so_far(void)
{
    return counter - 100;
}
