/* The reloaded object: its version. */
#include "rt.h"

RELOADABLE int mod_version(void)
{
    return opaque_int(VER);
}
