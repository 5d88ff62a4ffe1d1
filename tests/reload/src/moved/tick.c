/* tick() counts in `hits`: defined here with -DHERE, else elsewhere. */
#include "rt.h"

#ifdef HERE
int hits;
#else
extern int hits;
#endif

RELOADABLE int tick(void)
{
    return ++hits + opaque_int(VER) * 1000;
}
