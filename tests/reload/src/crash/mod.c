/* The reloaded object: version 1 counts; version 2 follows a NULL pointer
 * once the count passes 1; version 3 divides by zero; version 4 aborts;
 * version 5 executes ud2 (SIGILL); version 6 reads a mapped page its file
 * no longer has (SIGBUS); version 7 frees a block twice (glibc aborts);
 * version 8 breaks a free block's links, so that malloc faults (SIGSEGV)
 * while it holds its arena's lock.
 * Every version counts its updates in calls first, so a version that
 * crashes has changed it: a rollback puts back the value it had when the
 * reload replaced it. */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "rt.h"

int *mod_nowhere; /* never set; not static, so no compiler assumes it */
static volatile int zero;
static int calls;

#if VER == 8
/* glibc's chunk: its size, with 3 flag bits, is the word before it */
static size_t chunk_size(char *block)
{
    return ((size_t *)block)[-1] & ~(size_t)7;
}
#endif

RELOADABLE int mod_calls(void)
{
    return calls;
}

RELOADABLE int mod_version(void)
{
    return opaque_int(VER);
}

RELOADABLE static int next(int n)
{
#if VER == 2
    if (n > 1)
        return *mod_nowhere;
#elif VER == 3
    return n / zero;
#elif VER == 4
    abort();
#elif VER == 5
    __builtin_trap();
#elif VER == 7
    static char *volatile p, *volatile q; /* no allocation the compiler could elide */
    p = malloc(5000);
    q = malloc(5000);
    free(p);
    free(p); /* glibc aborts: double free or corruption (!prev) */
    free(q);
#elif VER == 8
    /* Whatever holes the heap has (hotld's own blocks share it, and
     * differ with how it runs: under perf, say), p must be freed alone
     * into the unsorted bin, so that the next malloc follows p's links
     * first. Blocks too big for the tcache are taken until three lie side
     * by side, so that p, in use on both sides, is not merged when freed;
     * then a block too big for the heap sorts every chunk left in the
     * unsorted bin into the bins (64 MB: mmap'ed, and above the largest
     * threshold free() adapts). The blocks passed over are left. */
    static char *volatile before, *volatile p, *volatile after, *volatile sorter;
    for (int tries = 0; tries < 1000; tries++) {
        before = malloc(2000);
        p = malloc(5000);
        after = malloc(2000);
        if (p == before + chunk_size(before) && after == p + chunk_size(p))
            break;
    }
    sorter = malloc(64 << 20);
    free(sorter);
    free(p);              /* into the unsorted bin, alone */
    ((unsigned long *)p)[0] = ((unsigned long *)p)[1] = 0x10; /* its fd and bk */
    p = malloc(6000);     /* sorts p into its bin: follows them */
#elif VER == 6
    char path[] = "/tmp/hotld-sigbus-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0 && ftruncate(fd, 4096) == 0) {
        volatile char *page = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
        unlink(path);
        if (page != MAP_FAILED && ftruncate(fd, 0) == 0)
            return page[0] + n;
    }
#endif
    return n + 1;
}

RELOADABLE int update(int *state)
{
    calls++;
    *state = next(*state);
    return *state;
}
