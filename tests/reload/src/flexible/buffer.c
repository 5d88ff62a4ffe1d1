/* VER changes a function only; struct buffer stays as it is. */
#include <stdlib.h>

#include "flex.h"
#include "rt.h"

RELOADABLE struct buffer *buffer_new(void)
{
    struct buffer *b = calloc(1, sizeof *b + 8);
    b->used = 5;
    return b;
}

RELOADABLE long buffer_used(const struct buffer *b) { return b->used * opaque_int(VER); }
