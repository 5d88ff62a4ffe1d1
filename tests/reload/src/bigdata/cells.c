/* Twelve million cells whose layout version 2 changes (a field between the
 * two): too many elements for a copy plan of one entry per element and
 * field. "touch" bumps the last field of both end cells. */
#include "rt.h"

#if VER == 1
struct cell { int a, b; } cells[12 << 20]; /* global: kept whole at -O2 */
#else
struct cell { int a, x, b; } cells[12 << 20];
#endif

RELOADABLE int mod_version(void)
{
    return opaque_int(VER);
}

RELOADABLE void mod_touch(void)
{
    cells[0].b++;
    cells[(12 << 20) - 1].b++;
}

RELOADABLE int mod_touched(void)
{
    return cells[0].b + cells[(12 << 20) - 1].b;
}
