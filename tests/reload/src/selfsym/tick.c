/* The function the program names; each version returns its own. */
#include "rt.h"

RELOADABLE int tick(void) { return opaque_int(VER); }
