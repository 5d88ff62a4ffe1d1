// C++ names for hotld --print and --call: a namespace's variables and an
// overloaded function, found by their demangled names; a function template's
// instance, a function with an ABI tag in an inline namespace (named as the
// source calls it), and a function with a static of its own.
namespace geo {
struct box {
    int w, h;
};
int area(int w, int h) { return w * h; }
int area(box b) { return b.w * b.h; }
double scale = 2.5;
box unit = {1, 1};
} // namespace geo

int twice(int x) { return 2 * x; }

template <typename T> T doubled(T v) { return v + v; }
template int doubled<int>(int);

inline namespace v1 {
__attribute__((abi_tag("cxx11"))) int label(int x) { return x + 1; }
} // namespace v1

int counter()
{
    static int cache;
    return ++cache;
}
