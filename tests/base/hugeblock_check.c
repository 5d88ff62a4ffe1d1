/* Blocks of megabytes (base/hugeblock.c) through util.h's xmalloc_huge, as
 * the debugger's image uses them: prints "ok NAME" or "not ok NAME: why"
 * per check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hugeblock.h"
#include "owned.h"
#include "util.h"

#define MIB (1ul << 20)

static int failed;

static void check(const char *name, int good, const char *why)
{
    printf(good ? "ok hugeblock/%s\n" : "not ok hugeblock/%s: %s\n", name, why);
    failed |= !good;
}

static int owned(const void *p)
{
    static struct owned_block blocks[1 << 12];
    size_t count = owned_blocks(blocks, sizeof blocks / sizeof *blocks);
    return count <= sizeof blocks / sizeof *blocks && owned_block_holds(blocks, count, (uintptr_t)p);
}

/* The VmFlags line of the mapping that holds p, or "" if none does. */
static const char *flags_of(const void *p)
{
    static char flags[512];
    char line[512];
    unsigned long lo = 0, hi = 0;
    int in = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    flags[0] = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
            in = (unsigned long)p >= lo && (unsigned long)p < hi;
        else if (in && !strncmp(line, "VmFlags:", 8))
            snprintf(flags, sizeof flags, "%s", line + 8);
    }
    if (f)
        fclose(f);
    return flags;
}

/* Is any part of malloc's main heap marked for huge pages? */
static int heap_advised(void)
{
    char line[512];
    int in = 0, advised = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    while (f && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
            in = strstr(line, "[heap]") != NULL;
        else if (in && !strncmp(line, "VmFlags:", 8))
            advised |= strstr(line, " hg") != NULL;
    }
    if (f)
        fclose(f);
    return advised;
}

static int mapped(const void *p)
{
    return flags_of(p)[0] != 0;
}

int main(void)
{
    /* A block of 8 MiB freed raises malloc's mmap threshold: it then
     * serves blocks of megabytes from its heap, which the program shares. */
    char *volatile big = malloc(8 * MIB);
    free(big);
    size_t n = 3 * MIB + 12345;
    unsigned char *p = xmalloc_huge(n);
    check("aligned", ((uintptr_t)p & (2 * MIB - 1)) == 0, "the block does not start a huge page");
    check("own-mapping", hugeblock_holds(p, &(size_t){0}), "the block is not a mapping of its own");
    check("advised", strstr(flags_of(p), " hg") != NULL, "its whole huge pages are not marked for huge pages");
    check("tail-small", strstr(flags_of(p + 3 * MIB), " hg") == NULL,
          "the tail past the last whole huge page is marked too");
    check("owned", owned(p), "the block is not among hotld's own: the pointer scan would rewrite it");
    memset(p, 0x5a, n);

    check("heap-untouched", !heap_advised(), "malloc's heap, which the program shares, was marked for huge pages");

    unsigned char *q = xrealloc(p, n + MIB);
    check("realloc-copies", q != p && q[0] == 0x5a && q[n - 1] == 0x5a && !mapped(p),
          "xrealloc did not copy the block out and unmap it");
    xfree(q);

    unsigned char *r = xmalloc_huge(4 * MIB);
    xfree(r);
    check("free-unmaps", !mapped(r), "xfree left the block mapped");

    unsigned char *small = xmalloc_huge(1000);
    size_t size;
    check("small-from-malloc", !hugeblock_holds(small, &size) && owned(small), "a small block is not malloc's");
    xfree(small);

    /* past the table's room, blocks come from malloc */
    unsigned char *many[100];
    size_t own = 0;
    for (int i = 0; i < 100; i++)
        own += hugeblock_holds(many[i] = xmalloc_huge(2 * MIB), &size);
    for (int i = 0; i < 100; i++)
        many[i][2 * MIB - 1] = 1;
    for (int i = 0; i < 100; i++)
        xfree(many[i]);
    check("table-full-falls-back", own > 0 && own < 100, "every block was a mapping, or none");
    return failed;
}
