#include "weak.h"

const char *which_impl(void) { return "strong"; }
int tunable = 42;

int hidden_counter = 100;
int hidden_bump(int by) { return hidden_counter += by; }
int protected_fn(void) { return hidden_bump(0) * 2; }

static int negate(int x) { return -x; }
static int square(int x) { return x * x; }
REGISTER(strong_negate, negate);
REGISTER(strong_square, square);
