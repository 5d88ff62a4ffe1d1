/* VER 2 widens level: the reload migrates it to new storage. */
#include "rt.h"

#if VER == 1
int level = 10;
#else
long level = 10;
#endif

RELOADABLE int bump(void) { return (int)++level; }
RELOADABLE int (*bump_address(void))(void) { return bump; }
