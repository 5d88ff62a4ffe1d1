#include "rt.h"

RELOADABLE int work(void) { return opaque_int(VER); }
