/* Blocks of 2 MiB and more on transparent huge pages: what util.h's
 * allocations of that size come from once the first link's heap
 * (linkheap.c) is closed.
 *
 * malloc maps a large block with ordinary pages, and on a virtual machine
 * each page's first touch costs 5-15 us: the debugger's image of a
 * 1,000-object program (3 MB, and its 3 MB of concatenated DWARF) spent
 * 20 of its 28 ms in page faults. A huge page is one fault for 2 MiB.
 * Each block is its own mapping, 2 MiB-aligned, its size rounded up to
 * 2 MiB; a block is known by its start in a small table, which the
 * pointer scan's list of hotld's own memory includes (owned.c). */
#include "hugeblock.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>

#define HUGE_PAGE (2ul << 20)

struct block {
    uintptr_t start;
    size_t size, mapped;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct block blocks[HUGEBLOCK_MAX];
static size_t nblocks;

/* The table changes in several steps: held across a fork, a child of
 * the program finds it whole. */
static void take(void)
{
    pthread_mutex_lock(&lock);
}

static void give(void)
{
    pthread_mutex_unlock(&lock);
}

__attribute__((constructor)) static void hold_across_fork(void)
{
    pthread_atfork(take, give, give);
}

/* As for the link heap: not under ASan, whose malloc checks bounds, nor
 * with a sanitizer's runtime in the process, which owns the layout. */
static bool allowed(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return false;
#else
    static atomic_int answer; /* 0: not asked yet, 1: yes, 2: no */
    int a = atomic_load(&answer);
    if (!a) {
        a = dlsym(RTLD_DEFAULT, "__sanitizer_print_stack_trace") ? 2 : 1;
        atomic_store(&answer, a);
    }
    return a == 1;
#endif
}

static size_t rounded(size_t n)
{
    return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

/* A 2 MiB-aligned mapping of size bytes, or NULL. */
static void *map_aligned(size_t size)
{
    char *p = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *start = (char *)rounded((uintptr_t)p);
    if (start > p)
        munmap(p, start - p);
    munmap(start + size, p + HUGE_PAGE - start);
    madvise(start, size, MADV_HUGEPAGE); /* where the system allows it */
    return start;
}

static struct block *find(const void *p)
{
    for (size_t i = 0; i < nblocks; i++)
        if (blocks[i].start == (uintptr_t)p)
            return &blocks[i];
    return NULL;
}

void *hugeblock_alloc(size_t n)
{
    if (n < HUGEBLOCK_MIN || n > SIZE_MAX - HUGE_PAGE || !allowed())
        return NULL;
    size_t mapped = rounded(n);
    void *p = map_aligned(mapped);
    if (!p)
        return NULL;
    pthread_mutex_lock(&lock);
    bool room = nblocks < HUGEBLOCK_MAX;
    if (room)
        blocks[nblocks++] = (struct block){(uintptr_t)p, n, mapped};
    pthread_mutex_unlock(&lock);
    if (!room) {
        munmap(p, mapped);
        return NULL;
    }
    return p;
}

/* Only a 2 MiB-aligned pointer can be a block: the table is not looked
 * at for any other. */
static bool may_be_block(const void *p)
{
    return p && !((uintptr_t)p & (HUGE_PAGE - 1));
}

size_t hugeblock_size(const void *p)
{
    if (!may_be_block(p))
        return 0;
    pthread_mutex_lock(&lock);
    struct block *b = find(p);
    size_t n = b ? b->size : 0;
    pthread_mutex_unlock(&lock);
    return n;
}

bool hugeblock_resize(void *p, size_t n)
{
    pthread_mutex_lock(&lock);
    struct block *b = find(p);
    bool fits = b && n <= b->mapped;
    if (fits) {
        size_t keep = rounded(n ? n : 1);
        if (keep < b->mapped) /* shrunk: the tail's pages go back */
            munmap((char *)p + keep, b->mapped - keep);
        b->size = n;
        b->mapped = keep;
    }
    pthread_mutex_unlock(&lock);
    return fits;
}

bool hugeblock_free(void *p)
{
    if (!may_be_block(p))
        return false;
    pthread_mutex_lock(&lock);
    struct block *b = find(p);
    size_t mapped = b ? b->mapped : 0;
    if (b)
        *b = blocks[--nblocks];
    pthread_mutex_unlock(&lock);
    if (mapped)
        munmap(p, mapped);
    return mapped != 0;
}

size_t hugeblock_spans(uintptr_t (*out)[2], size_t max)
{
    pthread_mutex_lock(&lock);
    size_t n = nblocks;
    for (size_t i = 0; i < n && i < max; i++) {
        out[i][0] = blocks[i].start;
        out[i][1] = blocks[i].start + blocks[i].size;
    }
    pthread_mutex_unlock(&lock);
    return n;
}
