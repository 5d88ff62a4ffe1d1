/* Parking every program thread at a known point while a reload patches
 * code: each thread gets a signal whose handler records the interrupted
 * instruction pointer and waits until released. */
#ifndef HOTLD_STOPWORLD_H
#define HOTLD_STOPWORLD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WORLD_MAX_THREADS 4096  /* threads a stop signals and records, at most */
#define WORLD_MAX_FRAMES 48     /* of a parked thread's backtrace */

struct parked {
    pid_t tid;
    uintptr_t ip;
    uintptr_t tp;               /* its thread pointer: where its TLS is */
    uintptr_t frames[WORLD_MAX_FRAMES]; /* world_backtraces(): return addresses */
    unsigned nframes;
};


/* Install the handler; threads listed by world_exempt are never parked
 * (hotld's own control and watch threads). */
void world_init(void);
void world_exempt(pid_t tid);
/* Park all other threads within wait_ms. On timeout every thread is
 * released and -1 returned, with the stragglers named in the error (which
 * quotes timeout_ms, the user's --reload-timeout). */
int world_stop(int wait_ms, int timeout_ms);
const struct parked *world_parked(size_t *n);
/* Have every parked thread unwind its own stack (the unwinder needs its
 * registers) into its frames, and wait up to wait_ms for all of them
 * (-1, no error recorded, if one is late: a loaded machine is no failure
 * until --reload-timeout says so).
 * Only when no parked thread is inside the unwinder or the dynamic
 * linker, whose locks unwinding takes. */
int world_backtraces(int wait_ms);
/* The calling thread's own return addresses, into p->frames. */
void world_backtrace_self(struct parked *p);
void world_resume(void);

/* A hotld thread that runs program code for a while (hotld --call):
 * parkable like a program thread until world_visit_end. Call both with
 * the session's lock held, so that no stop is under way meanwhile. */
struct world_visit {
    size_t slot;                /* its entry in the exempt list, or -1 */
    sigset_t mask;              /* its signal mask before */
};
void world_visit_begin(struct world_visit *v);
void world_visit_end(const struct world_visit *v);

#endif
