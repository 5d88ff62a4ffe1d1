#ifndef ASKING_DATA_H
#define ASKING_DATA_H
typedef struct node *nodep;
struct node { nodep next; int v; };
typedef int int1;
typedef int1 int2;
typedef int2 int3;
struct opaque;
union number { int i; float f; };
struct flags { unsigned a : 3; signed b : 4; unsigned c : 1; };
struct flex { int n; int data[]; };
struct outer { struct { union { int a; float f; }; }; int b; };
typedef struct machine machine;
typedef void (*handler)(machine *);
struct machine { handler on; machine *self; };
#define NEST(a, b) struct a { struct b in; int a##_v; };
struct d16 { int leaf; };
NEST(d15, d16) NEST(d14, d15) NEST(d13, d14) NEST(d12, d13) NEST(d11, d12) NEST(d10, d11)
NEST(d9, d10) NEST(d8, d9) NEST(d7, d8) NEST(d6, d7) NEST(d5, d6) NEST(d4, d5) NEST(d3, d4)
NEST(d2, d3) NEST(d1, d2) NEST(d0, d1)

extern struct node n1, n2, ring[3];
extern nodep head;
extern int3 chained;
extern struct opaque *hidden;
extern union number num;
extern struct flags fl;
extern struct flex *flexp;
extern struct outer anon;
extern struct machine mach;
extern struct d0 deep;
extern int big[100000];
extern int mixed[30];
int flex_count(void);
#endif
