/* Calls the methods through the vtable, by this version's slots. */
#include "shapes.h"

RELOADABLE int describe(Shape *s)
{
    return s->area() * 10 + s->sides();
}

#if VER >= 3
__attribute__((used)) static int describe_version = VER; /* the object changes too */
#endif
