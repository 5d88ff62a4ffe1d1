/* --watch: reload when an input file changes. */
#ifndef HOTLD_WATCH_H
#define HOTLD_WATCH_H

#include "linker.h"

/* Watch the inputs and the sources they were compiled from (when the
 * build left compile_commands.json, or run the command build on a save);
 * messages to log (NULL: stderr). */
void watch_start(const struct link_options *opts, const char *log, const char *build);

#endif
