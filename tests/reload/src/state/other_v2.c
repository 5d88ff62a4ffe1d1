/* Version 2: other_bump adds 10. */
#include "rt.h"

static int twin = 1000;

void other_bump(void)
{
    twin += 10;
}

void other_report(const char *tag)
{
    printf("%s other_ver 2\n", tag);
    printf("%s other_twin %d %p\n", tag, twin, (void *)&twin);
}
