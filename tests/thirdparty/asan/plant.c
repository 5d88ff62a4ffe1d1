/* Bugs planted in an ASan build of a real program, chosen by the
 * environment before main: HOTLD_PLANT=overflow writes one byte past a
 * heap block, HOTLD_PLANT=leak loses a block of 100 bytes; unset, nothing
 * happens and the program is the program. */
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void plant_overflow(void)
{
    char *p = malloc(8);
    p[8] = 1;
    free(p);
}

__attribute__((noinline)) static void plant_leak(void)
{
    char *volatile q = malloc(100);
    q[0] = 0;
    q = NULL;
}

__attribute__((constructor)) static void plant(void)
{
    const char *what = getenv("HOTLD_PLANT");
    if (what && !strcmp(what, "overflow"))
        plant_overflow();
    if (what && !strcmp(what, "leak"))
        plant_leak();
}
