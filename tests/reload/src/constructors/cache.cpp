/* Version 2 adds variables that only its constructors set, a map and a
 * string, and no variable of version 1 is constructed: the reload runs
 * its constructors for them. Version 3 adds one whose constructor
 * crashes. */
#include <map>
#include <string>

#include "rt.h"

#if VER == 3
static int *volatile nowhere;
static int broken = *nowhere + 1;

RELOADABLE int cached(int key)
{
    return opaque_int(broken + key);
}
#elif VER == 2
static std::map<int, std::string> cache = {{1, "one"}};
static std::string label = "a label long enough to be on the heap";

RELOADABLE int cached(int key)
{
    cache[key] = label;
    return opaque_int((int)cache.size());
}
#else
RELOADABLE int cached(int key)
{
    return opaque_int(-key);
}
#endif
