// The C++ object edited back and forth: a class with virtual functions,
// objects made by every version kept in a static vector (their vtable is
// the first version's), std::string, and a static constructor that
// registers a destructor with __cxa_atexit(..., &__dso_handle).
#include <memory>
#include <string>
#include <vector>

namespace {
struct Shape {
    virtual ~Shape() {}
    virtual std::string name() const = 0;
    virtual int area() const = 0;
};

struct Square : Shape {
    int side;
    explicit Square(int s) : side(s) {}
    std::string name() const override { return "square" + std::to_string(VER); }
    int area() const override { return side * side * VER; }
};

std::vector<std::unique_ptr<Shape>> shapes;
}

// "squareV:AREA ..." for every shape, one more made each call.
extern "C" const char *shapes_describe(void)
{
    static std::string text;
    shapes.emplace_back(new Square(2));
    text.clear();
    for (const auto &s : shapes)
        text += s->name() + ":" + std::to_string(s->area()) + " ";
    return text.c_str();
}
