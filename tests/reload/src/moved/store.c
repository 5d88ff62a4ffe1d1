/* The object `hits` moves into; -DHITS defines it here. */
#include "rt.h"

#ifdef HITS
int hits;
#endif

RELOADABLE int store_version(void) { return opaque_int(VER); }
