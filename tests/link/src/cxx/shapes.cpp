// A second object: a class hierarchy used across objects (vtables and
// typeinfo in COMDAT groups), a static constructor, and an exception that
// crosses from this object into main.cpp's handler.
#include <cstdio>
#include <stdexcept>
#include <string>

struct Shape {
    virtual ~Shape() {}
    virtual double area() const = 0;
};

struct Square : Shape {
    double side;
    explicit Square(double s) : side(s) {}
    double area() const override { return side * side; }
};

static struct Announce {
    Announce() { std::puts("shapes.o constructed"); }
} announce;

double square_area(double side)
{
    if (side < 0)
        throw std::invalid_argument("negative side " + std::to_string(side));
    Square s(side);
    const Shape &ref = s;
    return ref.area();
}
