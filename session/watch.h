/* --watch: reload when an input file changes. */
#ifndef HOTLD_WATCH_H
#define HOTLD_WATCH_H

#include "linker.h"

void watch_start(const struct link_options *opts);

#endif
