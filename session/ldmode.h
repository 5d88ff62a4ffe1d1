/* hotld as a build's linker (see ldmode.c). */
#ifndef HOTLD_SESSION_LDMODE_H
#define HOTLD_SESSION_LDMODE_H

#include <stdbool.h>

/* Is hotld run under one of the linker's names (ld, ld.hotld, hotld-ld)? */
bool ld_mode_name(const char *argv0);

/* Link as GNU ld would, for a build: returns the exit status. */
int ld_main(int argc, char **argv);

#endif
