#include "calls.h"

static int calls;

int op_add(int a, int b) { calls++; return a + b; }
int op_sub(int a, int b) { calls++; return a - b; }
int op_mul(int a, int b) { calls++; return a * b; }
int ops_call_count(void) { return calls; }

int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }

double scale(double x) { return x * 1.75 + 0.125; }
float scalef(float x) { return x * 2.5f - 0.25f; }
long double scalel(long double x) { return x * 1.1L; }

const char *ops_banner(void)
{
    static const char banner[] = "calls: multiple objects calling each other";
    return banner;
}
