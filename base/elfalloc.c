#include "elfalloc.h"

#include <stdint.h>
#include <stdlib.h>

#include "linkheap.h"
#include "owned.h"
#include "util.h"

/* The link heap's blocks are 16-byte aligned (linkheap.c). */
#define HEAP_ALIGN 16

void *hotld_libelf_malloc(size_t n)
{
    return malloc_owned(n);
}

void *hotld_libelf_calloc(size_t count, size_t size)
{
    return calloc_owned(count, size);
}

void *hotld_libelf_realloc(void *p, size_t n)
{
    return realloc_owned(p, n);
}

void hotld_libelf_free(void *p)
{
    xfree(p);
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
