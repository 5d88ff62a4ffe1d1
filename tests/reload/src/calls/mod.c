/* The function every caller in this test reaches: returns its version. */
#include "rt.h"

int mod_f(void)
{
    return VER;
}

/* &mod_f as this version of mod.o computes it. */
void *mod_addr(void)
{
    return (void *)&mod_f;
}
