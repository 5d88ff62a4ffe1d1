/* Version 2 adds a field to g's type: g migrates to new storage. */
#include "rt.h"

struct counters {
    int calls;
#if VER >= 2
    long added;
#endif
} g;

RELOADABLE void step(void)
{
    g.calls++;
}
