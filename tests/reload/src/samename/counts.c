/* Two functions with a static of the same name each, and a constant
 * each (__func__): gcc names them n.0 and n.1, __func__.0 and
 * __func__.1, numbered in the file's order. Version 2 puts the functions
 * the other way round, so that the numbers trade places. */
#include "rt.h"

#if VER == 1
RELOADABLE int first(void)
{
    static int n = 100;
    return ++n;
}
#endif

RELOADABLE int second(void)
{
    static int n = 500;
    return ++n;
}

#if VER == 2
RELOADABLE int first(void)
{
    static int n = 100;
    return ++n;
}
#endif

#if VER == 1
RELOADABLE const char *first_name(void)
{
    return __func__;
}
#endif

RELOADABLE const char *second_name(void)
{
    return __func__;
}

#if VER == 2
RELOADABLE const char *first_name(void)
{
    return __func__;
}
#endif
