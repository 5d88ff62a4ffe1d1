/* Squares. Version 2 also changes area(), so that which method runs
 * shows in the answer; version 4 gives a Square a colour (its layout
 * grows: the square made at start has none); version 5 counts corners. */
#include "shapes.h"

struct Square : Shape {
    int s;
#if VER == 4
    int colour = 7;
#endif
    explicit Square(int s) : s(s) {}
    int area() override { return opaque_int(s * s + (VER >= 2 ? 1000 : 0)); }
    int sides() override { return opaque_int(4); }
#if VER == 3 || VER == 4
    int perimeter() override { return opaque_int(4 * s); }
#endif
#if VER == 5
    int corners() override { return opaque_int(40000); }
#endif
};

RELOADABLE Shape *make_square(int s)
{
    return new Square(s);
}

RELOADABLE void destroy(Shape *s)
{
    delete s;
}
