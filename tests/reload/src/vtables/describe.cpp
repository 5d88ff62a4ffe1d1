/* Calls the methods through the vtable, by this version's slots. */
#include "shapes.h"

RELOADABLE int describe(Shape *s)
{
#if VER == 5
    return s->area() * 10 + s->sides() + s->corners();
#else
    return s->area() * 10 + s->sides();
#endif
}

#if VER >= 3
__attribute__((used)) static int describe_version = VER; /* the object changes too */
#endif
