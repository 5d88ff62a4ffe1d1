// tick() counts in game::hits: defined here with -DHERE, else in
// store.cc's object. C++: the variable's symbol is mangled.
#include "rt.h"

namespace game {
#ifdef HERE
int hits;
#else
extern int hits;
#endif
} // namespace game

extern "C" RELOADABLE int tick(void)
{
    return ++game::hits + opaque_int(VER) * 1000;
}
