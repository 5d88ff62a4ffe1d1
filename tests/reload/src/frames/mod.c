/* mod_run reads lines until "stop", echoing each with its version: a frame
 * of it is still running (blocked reading stdin) when the reload happens.
 * mod_helper is called from inside that loop. */
#include "rt.h"

RELOADABLE int mod_helper(void)
{
    return opaque_int(VER);
}

void mod_run(void)
{
    char line[128];
    printf("run %d start\n", VER);
    while (next_command(line, sizeof line) && strcmp(line, "stop"))
        printf("run %d line %s helper %d\n", VER, line, mod_helper());
    printf("run %d end\n", VER);
}
