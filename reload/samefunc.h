#ifndef HOTLD_SAMEFUNC_H
#define HOTLD_SAMEFUNC_H

#include "linker.h"

/* The same bytes, and relocations that reach the same things: an edited
 * string literal or constant changes what a function does without
 * changing its bytes. */
bool same_function(const struct func *a, const struct func *b);

#endif
