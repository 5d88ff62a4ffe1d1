/* Version 2 changes what a command does and a command's name; version 3
 * adds a command. It walks the registry too (mod_count), so a reload
 * links __start_cmds and __stop_cmds again. */
#include "rt.h"
#include "registry.h"

RELOADABLE static int run_a(void)
{
    return opaque_int(VER);
}
COMMAND(a, "a", run_a);

RELOADABLE static int run_b(void)
{
    return opaque_int(10 * VER);
}
#if VER == 1
COMMAND(b, "b", run_b);
#else
COMMAND(b, "bee", run_b);
#endif

#if VER >= 3
RELOADABLE static int run_c(void)
{
    return 3;
}
COMMAND(c, "c", run_c);
#endif

RELOADABLE int mod_count(void)
{
    return (int)(__stop_cmds - __start_cmds);
}
