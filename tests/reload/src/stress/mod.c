/* The reloaded object, in two versions that alternate: the same counting
 * done by different code, so that each reload replaces every function. */
#include "rt.h"

static long total;              /* all threads' calls, kept across reloads */
static long per_thread[8];      /* each thread's */

RELOADABLE int mod_step(int thread)
{
#if VER == 1
    __atomic_add_fetch(&total, 1, __ATOMIC_RELAXED);
    per_thread[thread]++;
#else
    per_thread[thread] += 1;
    __atomic_fetch_add(&total, 1, __ATOMIC_SEQ_CST);
#endif
    return opaque_int(VER);
}

RELOADABLE long mod_total(void)
{
    return __atomic_load_n(&total, __ATOMIC_RELAXED);
}

RELOADABLE long mod_count_of(int thread)
{
    return per_thread[thread];
}
