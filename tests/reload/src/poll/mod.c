/* -DVER=N: version N. -DBROKEN: refers to a function that exists nowhere. */
#include "rt.h"

#ifdef BROKEN
void hotld_test_no_such_function(void);
#endif

int mod_version(void)
{
#ifdef BROKEN
    hotld_test_no_such_function();
#endif
    return VER;
}
