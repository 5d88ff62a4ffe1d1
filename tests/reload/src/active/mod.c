/* The reloaded object. Version 2 adds a field in front of the struct, so
 * the variable migrates to new storage: mod_busy(), while it runs in the
 * old version, keeps incrementing the old storage, and the reload must
 * wait for it to return (or give up and say so), or its increments would
 * be lost. */
#include <time.h>
#include "rt.h"

struct state {
#if VER >= 2
    int added;
#endif
    long count;
} st;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

RELOADABLE long mod_busy(int ms)
{
    double end = now() + ms;
    long n = 0;
    while (now() < end) {
        __atomic_add_fetch(&st.count, 1, __ATOMIC_RELAXED);
        n++;
    }
    return n;
}

RELOADABLE long mod_count(void)
{
    return __atomic_load_n(&st.count, __ATOMIC_RELAXED);
}

RELOADABLE int mod_version(void)
{
    return opaque_int(VER);
}
