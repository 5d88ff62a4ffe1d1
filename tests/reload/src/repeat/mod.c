/* Reloaded many times (one -DVER per version). Every version's mod_tick
 * adds 1 to the same counter and returns it. */
#include "rt.h"

long counter = 0;

long mod_tick(void)
{
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

void *mod_tick_addr(void)
{
    return (void *)&mod_tick;
}
