/* Blocks of HUGEBLOCK_MIN bytes or more on transparent huge pages
 * (hugeblock.c), for util.h's allocations of that size. */
#ifndef HOTLD_HUGEBLOCK_H
#define HOTLD_HUGEBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HUGEBLOCK_MIN (2ul << 20)

/* A zeroed block of n bytes, or NULL: n is below HUGEBLOCK_MIN, huge
 * blocks are not used in this process (ASan, a sanitizer's runtime), the
 * system has no room, or OWNED_MAX_SPANS blocks are in use (owned.h). */
void *hugeblock_alloc(size_t n);
/* The n p was allocated or resized with; 0 if p is not a huge block. */
size_t hugeblock_size(const void *p);
/* Make block p n bytes long where its mapping has room (shrinking gives
 * the tail back); false if it has not, and p is as it was. */
bool hugeblock_resize(void *p, size_t n);
/* Free p if it is a huge block; false if it is not (then nothing is done). */
bool hugeblock_free(void *p);

#endif
