/* The reloaded object: thread-local variables of every kind (global,
 * file static, function static). Version 2 adds one and reports another
 * version; the others keep every thread's values. mod_tick(out, n) adds
 * n to the calling thread's counters, then reports its copies: version,
 * ticks, base (1000 + ticks), the function static (ticks as well) and
 * the added variable (42 + its ticks; -1 before version 2), and wide
 * (5 + ticks), an int that version 2 widens to long long: with -g, every
 * thread's copy is migrated. Version 3
 * adds a megabyte of thread-local data, more than glibc's static TLS has
 * room for in a running process, so reloading it must fail. */
#include "rt.h"

__thread long tls_ticks;
#if VER >= 2
__thread long long tls_wide = 5;
#else
__thread int tls_wide = 5;
#endif
static __thread long tls_base = 1000;
#if VER >= 2
__thread long tls_added = 42;
#endif
#if VER >= 3
__thread char tls_huge[1 << 20];
#endif

RELOADABLE void mod_tick(long out[6], int n)
{
    static __thread long calls;
    calls += n;
    tls_ticks += n;
    tls_wide += n;
    tls_base += n;
    out[0] = opaque_int(VER);
    out[1] = tls_ticks;
    out[2] = tls_base;
    out[3] = calls;
    out[5] = (long)tls_wide;
#if VER >= 3
    tls_huge[n] = 1;
#endif
#if VER >= 2
    tls_added += n;
    out[4] = tls_added;
#else
    out[4] = -1;
#endif
}
