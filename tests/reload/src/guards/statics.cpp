/* The reloaded object: a function-local static object with a
 * constructor, guarded by the compiler's guard variable. Version 2
 * changes its member from int to float, which cannot follow: with
 * --on-conflict=reset the object starts again, and must be constructed
 * again, as in a program started with version 2. */
#include "rt.h"

struct Tally {
#if VER == 1
    int value;
#else
    float value;
#endif
    Tally() : value(opaque_int(42)) {}
};

static Tally &tally()
{
    static Tally t;
    return t;
}

RELOADABLE void hit()
{
    tally().value += 1;
}

RELOADABLE int tally_value()
{
    return (int)tally().value;
}
