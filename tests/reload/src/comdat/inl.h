/* An inline function: every object that uses it has a copy in a COMDAT
 * group, and the link keeps the first. Its body is version VER. */
#include "rt.h"

__attribute__((noinline)) inline int shared_step() /* emitted only where used */
{
    return opaque_int(VER);
}
