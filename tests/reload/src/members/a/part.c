/* part.c of directory a: archived beside b's part.c under the same name. */
#include "rt.h"

RELOADABLE int part_a(void)
{
    return opaque_int(VER);
}
