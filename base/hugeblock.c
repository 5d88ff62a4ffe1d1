/* Blocks of 2 MiB and more on transparent huge pages: what util.h's
 * allocations of that size come from once the first link's heap
 * (linkheap.c) is closed.
 *
 * malloc maps a large block with ordinary pages, and on a virtual machine
 * each page's first touch costs 5-15 us: the debugger's image of a
 * 1,000-object program (3 MB, and its 3 MB of concatenated DWARF) spent
 * 20 of its 28 ms in page faults. A huge page is one fault for 2 MiB.
 * Each block is its own mapping, 2 MiB-aligned, its size rounded up to
 * 2 MiB; it is known by its start among hotld's own blocks (owned.c),
 * which the pointer scan leaves alone. */
#include "hugeblock.h"

#include <sys/mman.h>

#include "owned.h"
#include "sanitized.h"

#define HUGE_PAGE (2ul << 20)

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

void *hugeblock_alloc(size_t n)
{
    if (n < HUGEBLOCK_MIN || n > SIZE_MAX - HUGE_PAGE || !own_mappings_allowed())
        return NULL;
    void *p = map_aligned(rounded(n));
    if (p && !owned_note_span((uintptr_t)p, n)) { /* the table is full: malloc serves */
        munmap(p, rounded(n));
        p = NULL;
    }
    return p;
}

size_t hugeblock_size(const void *p)
{
    /* only a 2 MiB-aligned pointer can be a block: no lock for others */
    return p && !((uintptr_t)p & (HUGE_PAGE - 1)) ? owned_span_size((uintptr_t)p) : 0;
}

bool hugeblock_resize(void *p, size_t n)
{
    size_t size = hugeblock_size(p);
    if (!size || !n || rounded(n) > rounded(size))
        return false;
    if (rounded(n) < rounded(size)) /* shrunk: the tail's pages go back */
        munmap((char *)p + rounded(n), rounded(size) - rounded(n));
    owned_resize_span((uintptr_t)p, n);
    return true;
}

bool hugeblock_free(void *p)
{
    size_t size = hugeblock_size(p);
    if (!size)
        return false;
    owned_forget_span((uintptr_t)p);
    munmap(p, rounded(size));
    return true;
}
