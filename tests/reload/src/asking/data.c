/* Data whose types make a type walk or a value printer loop or recurse:
 * self-referential typedefs, a cyclic list, typedef chains, an incomplete
 * type, a union, bit-fields, a flexible array member, anonymous members, a
 * function pointer type that names its own struct, deep nesting, and a
 * large array. Compiled as C and as C++ (see asking.sh). */
#include "data.h"

struct node n2 = {0, 2}, n1 = {&n2, 1};
nodep head = &n1;
struct node ring[3] = {{&ring[1], 10}, {&ring[2], 11}, {&ring[0], 12}};
int3 chained = 5;
struct opaque *hidden = (struct opaque *)&n1;
union number num = {.i = 5};
struct flags fl = {3, -2, 1};
static struct { int n; int data[4]; } flex_storage = {3, {7, 8, 9, 0}};
struct flex *flexp = (struct flex *)&flex_storage;
struct outer anon = {{{42}}, 7};
struct machine mach = {0, &mach};
struct d0 deep;
int big[100000];
int mixed[30] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 4};

/* Uses the struct: clang's C++ debug info describes a class only where
 * the unit needs its definition. */
int flex_count(void)
{
    return flexp->n;
}
