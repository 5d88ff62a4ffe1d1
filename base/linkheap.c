/* The first link's heap: one mapping that hotld's allocations (util.h)
 * come from while the program is linked at start, bump-allocated and
 * never reused.
 *
 * A start allocates many small records (objects, sections, symbols, the
 * file bytes) that mostly live as long as the program. From malloc, each
 * new page of them costs a page fault, and on a virtual machine a fault
 * costs 5-10 us: a start of 1,000 objects took 4,400 of them, most of its
 * time. This mapping asks for transparent huge pages, one fault per
 * 2 MiB, and it keeps hotld's records out of the program's own heap, as
 * the linked program would find it.
 *
 * A block has its size in a header before it, for realloc. Freeing one
 * does nothing: what a start frees (a grown array's old copy, an object's
 * record of a global once the symbol table has its own) is small beside
 * what it keeps.
 * Once the heap is closed, allocations go to malloc, and the mapping's
 * untouched tail is given back. */
#include "linkheap.h"

#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "sanitized.h"

#define RESERVE (1ull << 30)    /* address space, not memory */
/* Far from the shared libraries, whose +-2 GiB the images need
 * (loader/memory.c), and from the executable, its heap and the stacks. */
#define PLACE (1ull << 45)
#define HUGE_PAGE (2ul << 20)
#define HEADER 16               /* the size, keeping blocks 16-byte aligned */

static uintptr_t base;
static size_t cap;              /* the mapping's size */
static atomic_size_t used;
static atomic_bool open_now;

/* Not under a sanitizer (sanitized.h). Not under a limit on the address
 * space (ulimit -v): all of it is left to the images' regions
 * (loader/memory.c), which are reserved whole. */
static bool may_open(void)
{
    struct rlimit as;
    return own_mappings_allowed() && !(getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY);
}

void linkheap_open(void)
{
    if (!may_open())
        return; /* malloc serves, as before */
    void *p = mmap((void *)PLACE, RESERVE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)PLACE) { /* taken, or a kernel before 4.17 took the place as a hint */
        if (p != MAP_FAILED)
            munmap(p, RESERVE);
        return;
    }
    madvise(p, RESERVE, MADV_HUGEPAGE); /* where the system allows it */
    base = (uintptr_t)p;
    cap = RESERVE;
    atomic_store(&open_now, true);
}

void linkheap_close(void)
{
    if (!atomic_exchange(&open_now, false))
        return;
    size_t end = atomic_load(&used);
    end = end < cap ? (end + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1) : cap;
    if (end < cap)
        munmap((void *)(base + end), cap - end);
    cap = end;
}

void *linkheap_alloc(size_t n)
{
    if (!atomic_load(&open_now))
        return NULL;
    size_t size = (n + HEADER + 15) & ~(size_t)15;
    size_t at = atomic_fetch_add(&used, size);
    if (at + size > cap || at + size < at)
        return NULL;
    *(size_t *)(base + at) = n;
    return (void *)(base + at + HEADER); /* zeroed: the mapping's pages are new */
}

bool linkheap_holds(const void *p)
{
    return base && (uintptr_t)p >= base && (uintptr_t)p < base + cap;
}

size_t linkheap_size(const void *p)
{
    return *(const size_t *)((uintptr_t)p - HEADER);
}

void linkheap_span(uintptr_t *start, uintptr_t *end)
{
    size_t n = atomic_load(&used);
    *start = base;
    *end = base + (n < cap ? n : cap);
}
