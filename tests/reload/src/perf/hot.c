/* The hot function; VER 2 computes the same another way, so that its
 * new body runs at a new address after the reload. */
#include "rt.h"

RELOADABLE long burn(long n)
{
    long x = opaque_int(VER);
    for (long i = 0; i < n; i++)
#if VER == 1
        x = x * 3 + i;
#else
        x = (x ^ i) * 5 + 1;
#endif
    return x;
}
