/* Huge blocks (base/hugeblock.c) through util.h's allocator, as hotld
 * uses them once the first link's heap is closed: prints "ok NAME" or
 * "not ok NAME: why" per check. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hugeblock.h"
#include "owned.h"
#include "util.h"

#define SUITE "hugeblock"
#include "check.h"

#define MIB (1ul << 20)

/* The mapping that starts at p, as /proc/self/smaps describes it: its
 * VmFlags line, or "" if no mapping starts there. */
static const char *mapping_flags(const void *p)
{
    static char flags[512];
    char line[512], start[32];
    snprintf(start, sizeof start, "%lx-", (unsigned long)(uintptr_t)p);
    FILE *f = fopen("/proc/self/smaps", "r");
    int in = 0;
    flags[0] = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strchr(line, '-') && strchr(line, '-') < strchr(line, ' '))
            in = !strncmp(line, start, strlen(start));
        else if (in && !strncmp(line, "VmFlags:", 8))
            snprintf(flags, sizeof flags, "%s", line);
    }
    if (f)
        fclose(f);
    return flags;
}

static int filled(const unsigned char *p, size_t n, unsigned char byte)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != byte)
            return 0;
    return 1;
}

static void *churn(void *arg)
{
    unsigned char mark = (unsigned char)(uintptr_t)arg;
    for (int i = 0; i < 50; i++) {
        unsigned char *b = xmalloc(3 * MIB);
        memset(b, mark, 3 * MIB);
        int good = filled(b, 3 * MIB, mark);
        xfree(b);
        if (!good)
            return NULL;
    }
    return arg;
}

int main(void)
{
    unsigned char *big = xcalloc(3, MIB);
    check("large-is-huge", hugeblock_size(big) == 3 * MIB && !((uintptr_t)big & (2 * MIB - 1)),
          "a 3 MiB block is not a 2 MiB-aligned huge block");
    check("advised", strstr(mapping_flags(big), " hg") != NULL,
          "the block's mapping is not marked for huge pages (VmFlags has no hg)");
    check("zeroed", filled(big, 3 * MIB, 0), "xcalloc's huge block is not zeroed");
    check("owned", owned(big, 3 * MIB), "a huge block is not among hotld's own: the pointer scan would rewrite it");
    unsigned char *small = xmalloc(MIB);
    check("small-is-malloc", !hugeblock_size(small) && owned(small, MIB), "a 1 MiB block is not a noted malloc block");

    memset(small, 0x11, MIB);
    unsigned char *grown = xrealloc(small, 3 * MIB);
    check("grows-into-huge", hugeblock_size(grown) == 3 * MIB && filled(grown, MIB, 0x11),
          "a malloc block grown past 2 MiB did not become a huge block with its bytes");
    memset(grown, 0x22, 3 * MIB);
    unsigned char *same = xrealloc(grown, 4 * MIB);
    check("grows-in-place", same == grown && hugeblock_size(same) == 4 * MIB && filled(same, 3 * MIB, 0x22),
          "a huge block grown within its mapping moved or lost bytes");
    unsigned char *moved = xrealloc(same, 5 * MIB);
    check("grows-moving", hugeblock_size(moved) == 5 * MIB && filled(moved, 3 * MIB, 0x22) && !hugeblock_size(same),
          "a huge block grown past its mapping did not move whole, or the old one is still a block");
    unsigned char *shrunk = xrealloc(moved, 100);
    check("shrinks-to-malloc", !hugeblock_size(shrunk) && filled(shrunk, 100, 0x22) && owned(shrunk, 100),
          "a huge block shrunk below 2 MiB did not move to malloc with its bytes");
    xfree(shrunk);
    unsigned char *fresh = xrealloc(NULL, 3 * MIB);
    check("realloc-of-null", hugeblock_size(fresh) == 3 * MIB, "xrealloc(NULL, 3 MiB) is not a huge block");
    xfree(fresh);

    xfree(big);
    check("freed", !hugeblock_size(big) && !*mapping_flags(big), "a freed huge block is still mapped or known");

    pthread_t t[2];
    void *got[2];
    for (uintptr_t i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, churn, (void *)(i + 1));
    int apart = 1;
    for (int i = 0; i < 2; i++)
        apart &= pthread_join(t[i], &got[i]) == 0 && got[i] != NULL;
    check("threads-apart", apart, "huge blocks allocated by two threads at once overlap");

    pid_t child = fork();
    if (child == 0) {
        unsigned char *c = xmalloc(3 * MIB);
        int good = hugeblock_size(c) == 3 * MIB;
        xfree(c);
        _exit(good ? 0 : 1);
    }
    int status;
    check("after-fork", child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
                            WEXITSTATUS(status) == 0,
          "a forked child could not allocate and free a huge block");

    static unsigned char *many[OWNED_MAX_SPANS + 1];
    for (size_t i = 0; i <= OWNED_MAX_SPANS; i++)
        many[i] = xmalloc(2 * MIB);
    check("table-full", hugeblock_size(many[OWNED_MAX_SPANS - 1]) && !hugeblock_size(many[OWNED_MAX_SPANS]) &&
                            owned(many[OWNED_MAX_SPANS], 2 * MIB),
          "past the table's room, a block is not a noted malloc block");
    for (size_t i = 0; i <= OWNED_MAX_SPANS; i++)
        xfree(many[i]);
    return failed;
}
