/* With -DHELPER, helper(), which a version of loops/round.c calls;
 * without it, the version that removed it. */
#include "rt.h"

int helper_version = VER;

#ifdef HELPER
RELOADABLE int helper(int x) { return opaque_int(x); }
#endif
