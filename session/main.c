/* hotld's entry point: a carried executable's link (carried.c), the
 * linker's command line (ldmode.c) or hotld's own (options.c). */
#include <stdio.h>

#include "carried.h"
#include "ldmode.h"
#include "respfile.h"
#include "session.h"
#include "util.h"

/* hotld's entry point is linked as `main` (see the Makefile) but named
 * hotld_main, and the `main` symbol is stripped from hotld: in gdb, `break
 * main` must find the program's main, not hotld's. */
int hotld_main(int argc, char **argv);

int hotld_main(int argc, char **argv)
{
    /* static: the options live as long as the program (a session keeps
     * pointing at them), and a client's exit leaves nothing unreachable */
    static struct session_options o;
    path_shown_init();
    elf_version(EV_CURRENT);
    if (ld_mode_name(argv[0]))
        return ld_main(argc, argv);
    carried_args(&argc, &argv);
    if (respfile_expand(&argc, &argv) < 0) {
        fprintf(stderr, "hotld: error: %s\n", last_error());
        return 2;
    }
    int rc = hotld_parse(argc, argv, &o);
    return rc >= 0 ? rc : session_main(&o);
}
