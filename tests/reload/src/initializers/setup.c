/* A C constructor function (VER=2 changes it) that reads one variable
 * and sets another: only the one it sets is the constructor's. */
#include <stdio.h>
#include <unistd.h>

int base = VER == 2 ? 5 : 3; /* read by the constructor: --reset takes it */
static long started;         /* set by the constructor: --reset refuses it */

__attribute__((constructor)) static void setup(void)
{
    started = (long)getpid() + base * VER; /* a call: no compiler runs it at build time */
}

void show(char *line, size_t size)
{
    snprintf(line, size, "base=%d started=%s", base, started > 0 ? "yes" : "no");
}
