/* Blocks of megabytes in transparent huge pages, each a mapping of its
 * own (util.h's xmalloc_huge hands them out, xfree gives them back). */
#ifndef HOTLD_HUGEBLOCK_H
#define HOTLD_HUGEBLOCK_H

#include <stdbool.h>
#include <stddef.h>

/* n bytes, zeroed, at a huge page's address; NULL if it cannot be mapped. */
void *hugeblock_alloc(size_t n);
/* Is p such a block? Its size then in *n. */
bool hugeblock_holds(const void *p, size_t *n);
/* Unmap p if it is such a block: false if it is not. */
bool hugeblock_free(void *p);

#endif
