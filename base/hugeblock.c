/* Blocks of megabytes written through at once (the debugger's image):
 * their first writes fault once per 2 MiB instead of once per 4 KiB
 * page, which costs 5-10 us on a virtual machine: 800 faults for a
 * 3 MiB image.
 *
 * Each is a mapping of its own, never a block of malloc's: advice given
 * to part of a heap would stay with its pages, and a heap may be the
 * program's too (malloc serves large blocks from it once it has raised
 * its mmap threshold), whose pages would then come 2 MiB at a time. Only
 * the block's whole huge pages get the advice: the pages of its tail
 * stay small, made resident only as far as it is written. */
#include "hugeblock.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "forksafe.h"
#include "util.h"

/* Blocks live at once: a generation's image each, and one being built.
 * Past that, callers take malloc's blocks. A table that cannot grow
 * keeps the lock free of allocation, which xfree would enter. */
#define MAX_BLOCKS 64

static struct block {
    uintptr_t at;               /* 0: a free entry */
    size_t size;                /* as asked for */
} blocks[MAX_BLOCKS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_mutex(&lock);
}

static size_t mapped_size(size_t n)
{
    return ALIGN_UP(n, (size_t)sysconf(_SC_PAGESIZE));
}

/* malloc's blocks almost never start a huge page: xfree asks of each,
 * and only those that do are looked up, under the lock. */
static bool at_huge_page(const void *p)
{
    return !((uintptr_t)p & (HUGE_PAGE_SIZE - 1));
}

static struct block *find(uintptr_t at)
{
    for (size_t i = 0; i < MAX_BLOCKS; i++)
        if (blocks[i].at == at)
            return &blocks[i];
    return NULL;
}

/* A mapping of n bytes at a huge page's address: one with room to
 * spare, trimmed at both ends. */
static char *map_aligned(size_t n)
{
    size_t size = mapped_size(n), spare = HUGE_PAGE_SIZE;
    char *p = mmap(NULL, size + spare, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *at = (char *)ALIGN_UP((uintptr_t)p, HUGE_PAGE_SIZE);
    if (at > p)
        munmap(p, at - p);
    munmap(at + size, p + size + spare - (at + size));
    return at;
}

void *hugeblock_alloc(size_t n)
{
    char *p = map_aligned(n);
    if (!p)
        return NULL;
    pthread_mutex_lock(&lock);
    struct block *b = find(0);
    if (b)
        *b = (struct block){(uintptr_t)p, n};
    pthread_mutex_unlock(&lock);
    if (!b) {
        munmap(p, mapped_size(n));
        return NULL;
    }
    madvise(p, n & ~(HUGE_PAGE_SIZE - 1), MADV_HUGEPAGE); /* a refusal leaves small pages */
    return p;
}

bool hugeblock_holds(const void *p, size_t *n)
{
    if (!p || !at_huge_page(p))
        return false;
    pthread_mutex_lock(&lock);
    const struct block *b = find((uintptr_t)p);
    if (b)
        *n = b->size;
    pthread_mutex_unlock(&lock);
    return b != NULL;
}

bool hugeblock_free(void *p)
{
    if (!p || !at_huge_page(p))
        return false;
    pthread_mutex_lock(&lock);
    struct block *b = find((uintptr_t)p), was = b ? *b : (struct block){0};
    if (b)
        b->at = 0;
    pthread_mutex_unlock(&lock);
    if (b)
        munmap(p, mapped_size(was.size));
    return b != NULL;
}
