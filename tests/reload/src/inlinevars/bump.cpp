/* Edited: each version adds VER to the program's state; version 0 does
 * not use it (and has no copies of the groups). */
#include "counters.h"

RELOADABLE int bump()
{
#if VER == 0
    return opaque_int(0);
#endif
    counter() += VER;
    total += VER;
    Registry<int>::entries += VER;
    weak_level += VER;
    return opaque_int(VER);
}
