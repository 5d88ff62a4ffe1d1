// Variables C++ dynamic initializers set, across a reload to VER=2: a
// reload does not run a replaced object's constructors again, so the
// kept ones keep their values though their constructors changed, the new
// one starts zero-filled, and neither can be reset; each is said. VER=3
// changes a field's type so that 'setting' cannot follow: a reset, which
// would leave its std::string zero-filled, fails the reload.
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

std::string title = VER == 2 ? "demo" : "game";
std::vector<int> scores = {1, 2};
int level = VER == 2 ? 5 : 1; // a constant initializer: bytes, which --reset copies
#if VER == 3
struct Setting { std::string name; const char *value; } setting = {"fov", "wide"}; // value: another kind
#else
struct Setting { std::string name; int value; } setting = {"fov", 90};
#endif
#if VER == 2
std::string added = "a new string, long enough to live on the heap";
#endif

extern "C" void show(char *line, size_t size)
{
    scores.push_back(level);
    int n = std::snprintf(line, size, "title=%s scores=%zu level=%d", title.c_str(), scores.size(), level);
#if VER == 2
    std::snprintf(line + n, size - n, " added=%s", added.c_str() ? "constructed" : "zero-filled");
#else
    (void)n;
#endif
}
