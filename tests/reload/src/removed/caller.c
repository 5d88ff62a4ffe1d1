/* spin() runs round() for ever. In version 2, round() itself loops for
 * ever calling helper() of helper.o, an unchanged object of the first
 * version: from a reload's code, through a call stub. Versions 1 and 3
 * return at once, and version 3 goes with a helper.o without helper(). */
#include <stdatomic.h>
#include <unistd.h>

#include "rt.h"

extern atomic_long spun;
#if VER == 2
int helper(int);
#endif

/* Version 2's loop starts after a first store: a loop that jumps back
 * into the bytes a reload overwrites with a jump would make it refuse. */
RELOADABLE void round_once(void)
{
#if VER == 2
    atomic_fetch_add(&spun, 1);
    for (;;) {
        atomic_fetch_add(&spun, helper(1));
        usleep(1000);
    }
#else
    atomic_fetch_add(&spun, 1);
    usleep(1000);
#endif
}

RELOADABLE void *spin(void *arg)
{
    (void)arg;
    for (;;)
        round_once();
    return NULL;
}

RELOADABLE int tick(void) { return opaque_int(VER); }
