/* One of two files with a static function of the same name, linked into
 * one object with ld -r: each must be matched with its own new version. */
#include "rt.h"

RELOADABLE static int helper(void)
{
    return opaque_int(10 + VER);
}

RELOADABLE int (*a_helper(void))(void)
{
    return helper;
}
