#include "../rt.h"
RELOADABLE int m1_value(void) { return opaque_int(VER * 10); }
