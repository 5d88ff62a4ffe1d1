/* libelf's allocator. hotld links its own copy of libelf.a, in which the
 * Makefile renames malloc, calloc, realloc, free and posix_memalign to
 * these. While the first link's heap is open (linkheap.c), libelf's
 * descriptors come from it, in huge pages: a start of 1,000 objects had
 * libelf allocate 4 MB from malloc a page at a time, about 1,000 page
 * faults, a quarter of the start. Otherwise they come from malloc. Either
 * way they are hotld's own blocks (owned.h), which a reload's pointer
 * scan leaves alone. Failures return NULL, as libelf expects. */
#ifndef HOTLD_ELFALLOC_H
#define HOTLD_ELFALLOC_H

#include <stddef.h>

void *hotld_libelf_malloc(size_t n);
void *hotld_libelf_calloc(size_t count, size_t size);
void *hotld_libelf_realloc(void *p, size_t n);
void hotld_libelf_free(void *p);
int hotld_libelf_posix_memalign(void **out, size_t align, size_t n);

#endif
