/* With -DHITS, a global variable that spin() counts in, for ever, from
 * HITS_START; without it, no variable: spin() and tick() are the ones of a
 * later version. */
#include <stdatomic.h>
#include <unistd.h>

#include "rt.h"

extern atomic_long spun;

#ifndef THREAD_LOCAL
#define THREAD_LOCAL
#endif

#ifdef HITS
#ifndef HITS_START
#define HITS_START 0
#endif
THREAD_LOCAL volatile int hits = HITS_START;
#define HIT() (hits++)
#else
#define HIT() ((void)0)
#endif

RELOADABLE void *spin(void *arg)
{
    (void)arg;
    for (;;) {
        HIT();
        atomic_fetch_add(&spun, 1);
        usleep(1000);
    }
    return NULL;
}

RELOADABLE int tick(void) { return opaque_int(VER); }
