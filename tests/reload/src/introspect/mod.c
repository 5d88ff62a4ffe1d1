/* The reloaded object: its function's version shows in hotld_symbols. */
#include "rt.h"

RELOADABLE int mod_value(void)
{
    return opaque_int(VER);
}
