/* spin() calls round_once() again and again. With -DFOREVER,
 * round_once() never returns: it loops for ever itself, below spin()'s
 * loop, and a reload of it leaves the thread in its old code. Without,
 * it loops a few times and returns, to call the new version next. With
 * -DCALLS_HELPER, each time round it calls helper() of helper.o. */
#include <stdatomic.h>
#include <unistd.h>

#include "rt.h"

extern atomic_long spun;
#ifdef CALLS_HELPER
int helper(int);
#define STEP helper(1)
#else
#define STEP 1
#endif

/* The loop starts after a first store: a loop that jumps back into the
 * bytes a reload overwrites with a jump would make it refuse. */
RELOADABLE void round_once(void)
{
    atomic_fetch_add(&spun, 1);
#ifdef FOREVER
    for (;;) {
#else
    for (int i = 0; i < 3; i++) {
#endif
        atomic_fetch_add(&spun, STEP);
        usleep(1000);
    }
}

RELOADABLE void *spin(void *arg)
{
    (void)arg;
    for (;;)
        round_once();
    return NULL;
}

RELOADABLE int tick(void) { return opaque_int(VER); }
