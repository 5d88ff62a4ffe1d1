#ifdef __clang__
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif
int bt_level3(int depth);
NOINLINE int bt_level2(int depth) { return bt_level3(depth + 1) + 1; }
