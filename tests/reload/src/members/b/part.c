/* part.c of directory b: the member edited between reloads. */
#include "rt.h"

RELOADABLE int part_b(void)
{
    return opaque_int(VER * 10);
}
