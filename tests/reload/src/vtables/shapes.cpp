/* Squares. Version 2 also changes area(), so that which method runs
 * shows in the answer. */
#include "shapes.h"

struct Square : Shape {
    int s;
    explicit Square(int s) : s(s) {}
    int area() override { return opaque_int(s * s + (VER >= 2 ? 1000 : 0)); }
    int sides() override { return opaque_int(4); }
#if VER >= 3
    int perimeter() override { return opaque_int(4 * s); }
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
