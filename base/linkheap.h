/* The first link's heap (linkheap.c): where util.h's allocations come
 * from while it is open. */
#ifndef HOTLD_LINKHEAP_H
#define HOTLD_LINKHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Open it before the first link, close it before anything else runs:
 * neither may race an allocation. */
void linkheap_open(void);
void linkheap_close(void);
/* A zeroed block of n bytes, or NULL when closed or full. */
void *linkheap_alloc(size_t n);
bool linkheap_holds(const void *p);
/* The n a block was allocated with. */
size_t linkheap_size(const void *p);
/* The part handed out: hotld's own, for the pointer scan. */
void linkheap_span(uintptr_t *start, uintptr_t *end);

#endif
