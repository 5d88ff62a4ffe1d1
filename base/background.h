/* Work done ahead of need, which exit may cut short (see background.c). */
#ifndef HOTLD_BASE_BACKGROUND_H
#define HOTLD_BASE_BACKGROUND_H

#include <stdbool.h>

/* The calling thread starts (ends) work that only later requests would
 * use, and that nothing relies on having been finished. */
void background_begin(void);
void background_end(void);

/* The process is exiting: background work stops at its next check. */
void background_cancel(void);

/* True on a thread inside background work once exit has begun: stop,
 * leaving what was made unpublished. */
bool background_cancelled(void);

/* Has exit begun (background_cancel), on any thread? A reload waiting for
 * the threads to park gives up: the program is ending. */
bool exit_begun(void);

#endif
