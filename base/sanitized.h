/* Whether hotld may map memory of its own for its allocations (sanitized.c). */
#ifndef HOTLD_SANITIZED_H
#define HOTLD_SANITIZED_H

#include <stdbool.h>

/* False under ASan (hotld's build), whose malloc checks the bounds of
 * every block, and with a program's sanitizer runtime in the process,
 * which owns the address space's layout (TSan aborts on a mapping outside
 * its application ranges): then malloc serves every block. */
bool own_mappings_allowed(void);

#endif
