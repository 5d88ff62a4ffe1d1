/* The signals hotld handles itself in the program's process, and the
 * program's own view of them: the fatal ones (a crash in reloaded code
 * rolls back, a crash in a called function ends only the call), and the
 * real-time signals that park threads and interrupt calls.
 *
 * hotld's executable exports sigaction, signal and their kin, so the
 * program's objects and every library it loads call them instead of
 * libc's. For a signal hotld has taken, they change only the program's
 * view: what sigaction(sig, NULL, &old) returns, and what runs when hotld
 * passes a signal on. The kernel keeps hotld's handler. For any other
 * signal they are libc's. */
#ifndef HOTLD_SIGNALS_H
#define HOTLD_SIGNALS_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* What hotld does with a signal before the program sees it; true if it
 * dealt with it (the thread resumes as the context now says), false to
 * pass it on. Called in the signal handler. */
typedef bool signal_policy(int sig, siginfo_t *si, void *context);

/* Install hotld's handler for sig in the kernel, with policy as its
 * first say, flags (besides SA_SIGINFO) and the mask it runs with (NULL:
 * none more). The action that was there becomes the program's view.
 * Idempotent; a later call sets the policy (if not NULL). */
void signals_take(int sig, signal_policy *policy, int flags, const sigset_t *mask);
/* For the fatal signals: on the alternate stack, and a fault in the
 * handler itself is a fault again. */
#define SIGNALS_FATAL_FLAGS (SA_ONSTACK | SA_NODEFER)

/* Run the program's action for sig as the kernel would have: its
 * handler with its mask and flags, or the default action (for a fault,
 * by returning into the faulting instruction with SIG_DFL in place; for
 * a signal that was sent, by sending it again). From a signal handler. */
void signals_deliver(int sig, siginfo_t *si, void *context);

/* The kernel's default action for sig from now on, whatever the view:
 * a process about to die of it (a child that reports a crash, say). */
void signals_kernel_default(int sig);

/* A guarded stretch of one thread (a call from hotld --call): a fault
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL) in this thread while it is set jumps
 * to jmp with what happened; other threads are not affected. */
struct fault_guard {
    sigjmp_buf jmp;
    int signal;
    uintptr_t pc, address;
};
void signals_guard(struct fault_guard *guard); /* NULL: none */
/* From a handler of another signal (an interruption): leave through the
 * thread's guard as if sig had struck at pc. Returns only if there is
 * none. */
void signals_escape(int sig, uintptr_t pc);

#endif
