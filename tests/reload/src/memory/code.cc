// where() in C++, code and constants only, as code.c without COUNTED.
#include "rt.h"

namespace {
struct place {
    const char *name() const { return opaque_int(VER) == 3 ? "version-3" : "version-other"; }
};
} // namespace

extern "C" RELOADABLE const char *where(void)
{
    return place().name();
}
