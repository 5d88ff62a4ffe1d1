/* other.o has its own static "twin", separate from mod.o's. */
#include "rt.h"

static int twin = 1000;

void other_bump(void)
{
    twin += 1;
}

void other_report(const char *tag)
{
    printf("%s other_ver 1\n", tag);
    printf("%s other_twin %d %p\n", tag, twin, (void *)&twin);
}
