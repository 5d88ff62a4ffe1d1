/* Called without pause by four threads, none under hotld_protect().
 * Version 2 follows a NULL pointer in thread 3 now and then: the call is
 * abandoned (returning 0 to the worker), the reload rolled back, and
 * every thread goes on with version 1. */
#include "rt.h"

static long total;

RELOADABLE int mod_step(int thread)
{
    __atomic_add_fetch(&total, 1, __ATOMIC_RELAXED);
#if VER == 2
    if (thread == 3 && __atomic_load_n(&total, __ATOMIC_RELAXED) % 1000 == 7)
        return *(volatile int *)0;
#endif
    (void)thread;
    return opaque_int(VER);
}
