/* Code and constants only, or with -DCOUNTED a variable as well: where()
 * returns a string of this object's, by which the program finds the image
 * the object was last loaded into. */
#include "rt.h"

#ifdef COUNTED
int calls;
#define COUNT() (++calls)
#else
#define COUNT() 1
#endif

RELOADABLE const char *where(void)
{
    return COUNT() && opaque_int(VER) == 1 ? "version-1" : "version-2";
}
