/* -DVER=N: version N. -DBROKEN: refers to a function that exists nowhere. */
#include <unistd.h>

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

/* A call that outlasts --reload-timeout once the program has taken it. */
int mod_slow(int ms)
{
    usleep(ms * 1000);
    return ms;
}
