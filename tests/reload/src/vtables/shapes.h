/* The class hierarchy, edited between versions: version 2 puts sides()
 * before area(), version 3 adds perimeter() (the vtable grows, its
 * destructors' slots move), version 5 is version 2 with corners() added
 * after the destructor (the vtable grows at its end). */
#include "rt.h"

struct Shape {
#if VER == 5
    virtual int sides() = 0;
    virtual int area() = 0;
    virtual ~Shape() {}
    virtual int corners() = 0;
#elif VER == 1
    virtual int area() = 0;
    virtual int sides() = 0;
#else
    virtual int sides() = 0;
    virtual int area() = 0;
#endif
#if VER == 3 || VER == 4
    virtual int perimeter() = 0;
#endif
#if VER != 5
    virtual ~Shape() {}
#endif
};
