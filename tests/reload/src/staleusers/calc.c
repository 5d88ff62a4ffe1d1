/* Version 2 gives scale() a parameter and changes offset()'s body, not
 * its type. */
#include "calc.h"
#include "rt.h"

#if VER >= 2
RELOADABLE int scale(int x, int by)
{
    return x * by;
}
#else
RELOADABLE int scale(int x)
{
    return x * opaque_int(2);
}
#endif

struct tally tally = {
#if VER >= 2
    .first = 7,
#endif
    .n = 40};
struct stats stats = {.hits = 2};

RELOADABLE long offset(int x)
{
    return x + opaque_int(VER * 100);
}
