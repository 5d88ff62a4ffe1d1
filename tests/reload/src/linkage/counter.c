/* The count, external (-DLINKAGE=) or a file static (-DLINKAGE=static);
 * each version adds its own thousands to what tick() returns. */
#include "rt.h"

LINKAGE int hits;

RELOADABLE int tick(void)
{
    return ++hits + opaque_int(VER) * 1000;
}
