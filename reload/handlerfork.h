/* Work a signal handler may not do itself (it allocates, or takes locks
 * the interrupted thread may hold), done in a child process instead. */
#ifndef HOTLD_HANDLERFORK_H
#define HOTLD_HANDLERFORK_H

#include <stdbool.h>

/* Run fn(arg) in a child of this process (_Fork: no fork handlers, no
 * malloc locks taken), which has a copy of all memory and only this
 * thread, and wait until it exits. True if it exited with status 0.
 * False if it could not start, died, or blocked on a lock: no other thread
 * exists to release one there, so this thread held it when interrupted
 * (a crash inside malloc holds its arena's lock). Safe in a signal
 * handler. */
bool run_in_child(void (*fn)(const void *), const void *arg);

#endif
