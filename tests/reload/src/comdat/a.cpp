/* Versions 1 and 4 use shared_step(), so its copy comes first in the
 * link and is the one kept. Versions 2 and 3 do not: the kept copy moves
 * to b.o, and back. */
#include "inl.h"

RELOADABLE int a_value()
{
#if VER == 1 || VER == 4
    return shared_step() * 10;
#else
    return opaque_int(100);
#endif
}

/* Defined weak in a.o and b.o: a.o's comes first and wins. */
__attribute__((weak)) RELOADABLE int first_weak()
{
    return opaque_int(10 + VER);
}
