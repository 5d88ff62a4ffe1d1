#include "../rt.h"
RELOADABLE int m3_value(void) { return opaque_int(300); }
