// C++ types for --print: a class template that points to itself,
// references (to a scalar, to a const template instance), a derived class
// with a virtual method (its base as an anonymous member, its vtable
// pointer), a namespace.
template <typename T> struct box {
    T value;
    box *self;
};
box<int> ibox = {7, &ibox};
box<double> dbox = {2.5, nullptr};
int target = 3;
struct refs {
    int &r;
    const box<int> &b;
};
refs rr = {target, ibox};
struct shape {
    virtual ~shape() {}
    virtual int sides() const;
    int id = 4;
};
// The key function: clang describes the class where its vtable is.
int shape::sides() const
{
    return 0;
}
struct square : shape {
    int sides() const override { return 4; }
    double side = 1.5;
};
square sq;
shape *sp = &sq;
namespace ns {
int inner = 9;
}
