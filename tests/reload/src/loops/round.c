/* spin() calls round_once() again and again. With -DFOREVER, version 1's
 * round_once() never returns: it loops for ever itself, below spin()'s
 * loop, and a reload of it leaves the thread in its old code. Without,
 * it loops a few times and returns, to call the new version next. */
#include <stdatomic.h>
#include <unistd.h>

#include "rt.h"

extern atomic_long spun;

/* The loop starts after a first store: a loop that jumps back into the
 * bytes a reload overwrites with a jump would make it refuse. */
RELOADABLE void round_once(void)
{
    atomic_fetch_add(&spun, 1);
#if VER == 1 && defined(FOREVER)
    for (;;) {
#else
    for (int i = 0; i < 3; i++) {
#endif
        atomic_fetch_add(&spun, 1);
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
