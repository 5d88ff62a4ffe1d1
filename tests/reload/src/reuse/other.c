/* The other object: -DVER is its version. */
#include "rt.h"

RELOADABLE int other_value(void)
{
    return opaque_int(VER);
}
