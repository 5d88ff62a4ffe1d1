/* The class hierarchy, edited between versions: version 2 puts sides()
 * before area(), version 3 adds perimeter() (the vtable grows). */
#include "rt.h"

struct Shape {
#if VER == 1
    virtual int area() = 0;
    virtual int sides() = 0;
#else
    virtual int sides() = 0;
    virtual int area() = 0;
#endif
#if VER >= 3
    virtual int perimeter() = 0;
#endif
    virtual ~Shape() {}
};
