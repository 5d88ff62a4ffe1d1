/* Constant tables and variables that point at them. Version 2 edits
 * `defaults` (a struct with a pointer: .data.rel.ro) and `levels` (an
 * int array: .rodata); `unchanged` stays as it was. Version 3 gives
 * `levels` a fourth element. */
#include "rt.h"

struct cfg {
    int speed;
    const char *name;
};

#if VER >= 3
static const struct cfg defaults = {20, "two"};
static const int levels[] = {4, 5, 6, 7};
#elif VER >= 2
static const struct cfg defaults = {20, "two"};
static const int levels[] = {7, 8, 9};
#else
static const struct cfg defaults = {10, "one"};
static const int levels[] = {1, 2, 3};
#endif
static const struct cfg unchanged = {5, "same"};

const struct cfg *cur = &defaults;
const struct cfg *fixed = &unchanged;
const int *level = &levels[1];

RELOADABLE const struct cfg *current_defaults(void)
{
    return &defaults;
}

RELOADABLE int current_level(void)
{
    return levels[1];
}
