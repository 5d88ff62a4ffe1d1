/* Parking every program thread at a known point while a reload patches
 * code: each thread gets a signal whose handler records where it was and
 * waits until released. A thread that blocks the signal cannot be parked:
 * it is waited for until the kernel shows it asleep in a system call, and
 * is then looked at from outside (its pc and stack pointer). */
#ifndef HOTLD_STOPWORLD_H
#define HOTLD_STOPWORLD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WORLD_MAX_FRAMES 48     /* of a parked thread's backtrace */

/* A parked thread: where its handler interrupted it. */
struct parked {
    pid_t tid;
    uintptr_t ip, sp;
    uintptr_t tp;               /* its thread pointer: where its TLS is */
    uintptr_t frames[WORLD_MAX_FRAMES]; /* world_backtraces(): return addresses */
    uintptr_t cfas[WORLD_MAX_FRAMES];   /* the CFA of the frame each returns
                                           from (libgcc's, at each frame): a
                                           return address frames[i] is stored
                                           at cfas[i] - 8 */
    unsigned nframes;
};

/* A thread that blocks the park signal, asleep in a system call (or
 * stopped) while the others are parked: it runs no code until the kernel
 * wakes it, and world_still_asleep() says afterwards whether it did. */
struct asleep {
    pid_t tid;
    uintptr_t pc, sp;           /* as /proc/self/task/TID/syscall shows them */
    char state[160];            /* that file's line, to compare after */
    unsigned long switches;     /* its context switches so far */
};

/* Install the handler; threads listed by world_exempt are never parked
 * (hotld's own threads: the control thread, the watcher, the threads that
 * answer questions), until world_unexempt as they end. */
#define MAX_HOTLD_THREADS 64
void world_init(void);
void world_exempt(pid_t tid);
void world_unexempt(pid_t tid);
/* The calling thread (the session's control thread) runs none of the
 * program's code, ever: a reload it applies has no frame of the program
 * below it to look for. */
void world_runs_no_program_code(void);
/* Park all other threads within wait_ms (and see the ones that block the
 * signal asleep). On timeout every thread is released and -1 returned,
 * with the stragglers named in the error (which quotes timeout_ms, the
 * user's --reload-timeout). */
int world_stop(int wait_ms, int timeout_ms);
const struct parked *world_parked(size_t *n);
const struct asleep *world_asleep(size_t *n);
/* After the commit, before world_resume: did every thread seen asleep
 * stay so? If not, the error names the first that woke. */
bool world_still_asleep(void);
/* The thread pointers of the parked threads and of the calling thread
 * (it may be a program thread, under hotld_poll), for per-thread work in
 * the commit; valid until world_resume. */
const uintptr_t *world_thread_pointers(size_t *n);
/* Have every parked thread unwind its own stack (the unwinder needs its
 * registers) into its frames, and wait up to wait_ms for all of them
 * (-1, no error recorded, if one is late: a loaded machine is no failure
 * until --reload-timeout says so).
 * Only when no parked thread is inside the unwinder or the dynamic
 * linker, whose locks unwinding takes. */
int world_backtraces(int wait_ms);
#define WORLD_BACKTRACE_WAIT_MS 200 /* what a stop gives them, each time */
/* The calling thread's own return addresses, into p->frames; none in a
 * thread that runs no program code, since every caller looks for the
 * program's frames. */
void world_backtrace_self(struct parked *p);
void world_resume(void);
/* After code was patched: every thread of the process runs a serializing
 * instruction before it goes on (membarrier), so that none executes stale
 * bytes (a kernel without it: returning from the signal serializes the
 * parked threads all the same). */
void world_sync_cores(void);
/* Drop the park signals pending on the calling thread: an exec keeps
 * pending signals, and the new program, with no handler for this one,
 * would die of it. Call it with the program's lock held, so that no stop
 * sends another before the exec. */
void world_drop_pending(void);

/* A hotld thread that runs program code for a while (hotld --call):
 * parkable like a program thread until world_visit_end. Call both with
 * the program's lock held, so that no stop is under way meanwhile. */
struct world_visit {
    bool exempt;                /* it was exempt before */
    sigset_t mask;              /* its signal mask before */
};
void world_visit_begin(struct world_visit *v);
void world_visit_end(const struct world_visit *v);

#endif
