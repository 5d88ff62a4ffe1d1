#include <cstdio>
#include "shared.h"
int a_uses(int x);
static int b_helper(int x) { return twice(x) + 3; }
int main() { std::printf("%d %d\n", a_uses(1), b_helper(2)); return 0; }
