/* The code every process runs. VER 2 changes what work() returns; VER 3
 * widens total, which then migrates to new storage in each process, with
 * that process's own value. VER 4 crashes in worker 1 only (its total is
 * seeded with 1000000). */
#include "rt.h"

#if VER >= 3
long total;
#else
int total;
#endif

RELOADABLE int work(void)
{
    total++;
#if VER == 4
    if (total >= 1000000 && total < 2000000)
        *(volatile int *)(long)opaque_int(0) = VER;
#endif
    return opaque_int(VER);
}

RELOADABLE long work_total(void) { return (long)total; }
RELOADABLE void work_seed(long v) { total = v; }
