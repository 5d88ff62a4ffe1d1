/* The first link's heap (base/linkheap.c) through util.h's allocator, as
 * hotld uses it: prints "ok NAME" or "not ok NAME: why" per check. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "linkheap.h"
#include "owned.h"
#include "util.h"

#define SUITE "linkheap"
#include "check.h"

#define THREADS 2
#define BLOCKS 20000

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* Each thread fills its blocks with its own byte: blocks that overlap
 * would show another's. */
static void *fill(void *arg)
{
    unsigned char mark = (unsigned char)(uintptr_t)arg;
    unsigned char **blocks = xmalloc(BLOCKS * sizeof *blocks);
    for (size_t i = 0; i < BLOCKS; i++)
        memset(blocks[i] = xmalloc(1 + i % 200), mark, 1 + i % 200);
    for (size_t i = 0; i < BLOCKS; i++)
        for (size_t k = 0; k < 1 + i % 200; k++)
            if (blocks[i][k] != mark)
                return NULL;
    return blocks;
}

int main(void)
{
    linkheap_open();
    unsigned char *p = xcalloc(100, 8);
    check("serves-while-open", linkheap_holds(p), "a block allocated while open is not the heap's");
    check("zeroed", all_zero(p, 800), "xcalloc's block is not zeroed");
    check("owned", owned(p, 800), "its block is not among hotld's own: the pointer scan would rewrite it");
    memset(p, 0x5a, 800);
    unsigned char *q = xrealloc(p, 4000);
    check("realloc-copies", q != p && q[0] == 0x5a && q[799] == 0x5a && all_zero(q + 800, 3200),
          "realloc did not copy the block into a zeroed larger one");
    xfree(q); /* nothing: blocks are not reused */
    check("free-keeps", q[0] == 0x5a, "a freed block was reused or cleared");

    pthread_t t[THREADS];
    void *got[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, fill, (void *)(i + 1));
    int apart = 1;
    for (int i = 0; i < THREADS; i++)
        apart &= pthread_join(t[i], &got[i]) == 0 && got[i] != NULL;
    check("threads-apart", apart, "blocks allocated by two threads at once overlap");

    linkheap_close();
    unsigned char *r = xmalloc(64);
    check("malloc-after-close", !linkheap_holds(r) && owned(r, 64), "after close, not a noted malloc block");
    check("owned-after-close", owned(q, 4000), "the heap's blocks are no longer hotld's own after close");
    unsigned char *s = xrealloc(q, 16);
    check("realloc-out", !linkheap_holds(s) && s[0] == 0x5a && s[15] == 0x5a,
          "realloc after close did not move the block to malloc with its bytes");
    xfree(s);
    xfree(r);
    return failed;
}
