// C++ names for hotld --print and --call: a namespace's variables and an
// overloaded function, found by their demangled names.
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
