#include "elfalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkheap.h"
#include "owned.h"

/* The link heap's blocks are 16-byte aligned (linkheap.c). */
#define HEAP_ALIGN 16

static void *noted(void *p)
{
    if (p)
        owned_note((uintptr_t)p);
    return p;
}

void *hotld_libelf_malloc(size_t n)
{
    void *p = linkheap_alloc(n);
    return p ? p : noted(malloc(n));
}

void *hotld_libelf_calloc(size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n))
        return NULL;
    void *p = linkheap_alloc(n); /* zeroed: its pages are new */
    return p ? p : noted(calloc(count, size));
}

void *hotld_libelf_realloc(void *p, size_t n)
{
    if (linkheap_holds(p)) { /* a copy: the heap only grows */
        size_t old = linkheap_size(p);
        void *q = hotld_libelf_malloc(n);
        return q ? memcpy(q, p, old < n ? old : n) : NULL;
    }
    uintptr_t was = (uintptr_t)p;
    if (p)
        owned_forget(was);
    void *q = realloc(p, n);
    if (q || was)
        owned_note(q ? (uintptr_t)q : was); /* failed: the old block stays */
    return q;
}

void hotld_libelf_free(void *p)
{
    if (!p || linkheap_holds(p))
        return; /* the link heap's blocks are never reused */
    owned_forget((uintptr_t)p);
    free(p);
}

int hotld_libelf_posix_memalign(void **out, size_t align, size_t n)
{
    void *p = align <= HEAP_ALIGN ? linkheap_alloc(n) : NULL;
    if (p) {
        *out = p;
        return 0;
    }
    int rc = posix_memalign(out, align, n);
    if (rc == 0)
        owned_note((uintptr_t)*out);
    return rc;
}
