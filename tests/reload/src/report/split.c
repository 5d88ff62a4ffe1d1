/* Built with -gsplit-dwarf and rebuilt in place, its .dwo file with it:
 * the reload must still know the running version's layout of pair. */
#include <stdio.h>

#if VER == 1
struct pair {
    int a, b;
} pair = {1, 20};
#else
struct pair {
    int b, a;
} pair = {0, 0};
#endif

const char *greeting(void)
{
    static char text[32];
    pair.a++;
    snprintf(text, sizeof text, "%d %d", pair.a, pair.b);
    return text;
}
