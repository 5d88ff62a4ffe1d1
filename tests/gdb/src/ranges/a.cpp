#include "shared.h"
int a_uses(int x) { return twice(x) + 1; }
