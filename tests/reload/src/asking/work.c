/* The reloaded object: version 2 follows a NULL pointer once n > 0. */
#include "rt.h"

int *work_nowhere;

RELOADABLE int work_version(void)
{
    return opaque_int(VER);
}

RELOADABLE int work_step(int n)
{
#if VER == 2
    if (n > 0)
        return *work_nowhere;
#endif
    return n + 1;
}
