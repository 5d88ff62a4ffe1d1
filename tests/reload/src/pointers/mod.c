/* The reloaded object: version 2 widens the counter, which migrates. */
#include "rt.h"

#if VER == 1
int counter = 7;
#else
long counter = 7;
#endif

RELOADABLE void *mod_counter_address(void)
{
    return &counter;
}
