/* The reloaded object. With -g, version 2's "wide" no longer holds
 * version 1's value (an int narrowed to short), so a reload asks what to
 * do under --on-conflict=ask. */
#include "rt.h"

#if VER >= 2
short wide;
#else
int wide = 70000;
#endif

RELOADABLE int mod_version(void)
{
    return opaque_int(VER) + (int)(wide & 0);
}
