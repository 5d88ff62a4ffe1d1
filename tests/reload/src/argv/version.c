#include "rt.h"

RELOADABLE int version(void) { return opaque_int(VER); }
