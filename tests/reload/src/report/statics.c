/* A reload's count of changed functions, when statics move: VER=2 adds a
 * static before the others, which moves them in their section, and a
 * function after the others (1 added, none changed); VER=3 swaps the
 * statics, and fa() now reads b (fa changed, fb not: b only moved). */
#include <stdio.h>

#if VER == 2
static int z = 5;
#endif
#if VER == 3
static int b = 2, a = 1;
#else
static int a = 1, b = 2;
#endif

__attribute__((noinline)) int fa(void)
{
#if VER == 3
    return b++;
#else
    return a++;
#endif
}

__attribute__((noinline)) int fb(void)
{
    return b++;
}

const char *greeting(void)
{
    static char text[32];
    snprintf(text, sizeof text, "%d", fa() + fb());
    return text;
}

#if VER == 2
int fz(void)
{
    return z++;
}
#endif
