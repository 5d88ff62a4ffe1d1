/* Crashes of the program: symbolized reports, and rollback of the last
 * reload when its code crashes under hotld_protect() (see crash.c). */
#ifndef HOTLD_CRASH_H
#define HOTLD_CRASH_H

#include <stdbool.h>

#include "program.h"

/* Install the handlers (before any of the program runs) and define
 * hotld_protect for the program. */
void crash_init(struct program *pg, bool rollback);
/* Only hotld_protect() for the program (hotld.h), not the handlers. */
void crash_define(struct program *pg);

#endif
