/* Changed together with mod.o: its version must not be applied by a reload
 * that fails because of mod.o. */
#include "rt.h"

int other_version(void)
{
    return VER;
}
