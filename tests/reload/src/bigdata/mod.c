/* A large array the program keeps (200 MiB of .bss, a few bytes of it
 * touched), in an object reloaded again and again: each version differs
 * only in its code. */
#include "rt.h"

static char big[200 << 20];

RELOADABLE int mod_version(void)
{
    return opaque_int(VER);
}

RELOADABLE void mod_touch(void)
{
    big[0]++;
    big[sizeof big - 1]++;
}

RELOADABLE int mod_touched(void)
{
    return big[0] + big[sizeof big - 1];
}
