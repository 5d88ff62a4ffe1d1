/* -DVER=N: a good version. -DBROKEN: version 2 plus a call to a function
 * that exists nowhere (the reload must fail with an undefined symbol). */
#include "rt.h"

long counter = 0;

#ifdef BROKEN
void hotld_test_no_such_function(void);
#endif

long mod_tick(void)
{
#ifdef BROKEN
    hotld_test_no_such_function();
#endif
    return ++counter;
}

int mod_version(void)
{
    return VER;
}

void *mod_counter_addr(void)
{
    return &counter;
}
