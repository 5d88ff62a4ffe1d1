/* A session: one program linked in memory and run by this process. */
#ifndef HOTLD_SESSION_H
#define HOTLD_SESSION_H

#include "linker.h"

struct session_options {
    struct link_options link;
    const char *name;           /* argv[0] for the program; NULL: derive it */
    int argc;                   /* program arguments after "--" */
    char **argv;
};

/* Link and run the program. Returns only on failure (exit status 1 after
 * printing the error); otherwise the process exits with the program. */
int session_run(struct session_options *o);

#endif
