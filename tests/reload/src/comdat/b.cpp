/* Uses shared_step() in every version, and hands out its address. */
#include "inl.h"

RELOADABLE int b_value()
{
    return shared_step();
}

typedef int step_fn();

RELOADABLE step_fn *step_address()
{
    return shared_step;
}

/* Defined weak in a.o and b.o: a.o's comes first and wins. */
__attribute__((weak)) RELOADABLE int first_weak()
{
    return opaque_int(20 + VER);
}
