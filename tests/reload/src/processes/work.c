/* The code every process runs. VER 2 changes what work() returns; VER 3
 * widens total, which then migrates to new storage in each process, with
 * that process's own value. */
#include "rt.h"

#if VER >= 3
long total;
#else
int total;
#endif

RELOADABLE int work(void)
{
    total++;
    return opaque_int(VER);
}

RELOADABLE long work_total(void) { return (long)total; }
RELOADABLE void work_seed(long v) { total = v; }
