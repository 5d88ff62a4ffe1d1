// The object game::hits moves into; -DHITS defines it here.
#include "rt.h"

namespace game {
#ifdef HITS
int hits;
#endif
} // namespace game

extern "C" RELOADABLE int store_version(void) { return opaque_int(VER); }
