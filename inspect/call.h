/* Calling a function of the running program with arguments built from
 * its DWARF prototype, through libffi, with a guard: a crash inside the
 * call is caught and reported, and the program goes on. */
#ifndef HOTLD_CALL_H
#define HOTLD_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctypes.h"

/* One argument, already converted to the parameter's type (or, past a
 * variadic function's named parameters, promoted as C promotes it). */
struct call_arg {
    const struct ctype *type;
    const void *bytes;
};

/* How a call ended. */
enum call_end {
    CALL_RETURNED,
    CALL_CRASHED,               /* a fault in the calling thread */
    CALL_TIMED_OUT,             /* interrupted: past its time limit */
    CALL_STOPPED,               /* interrupted: the asking command was stopped */
};

struct call_crash {
    enum call_end end;
    int signal;                 /* CALL_CRASHED: the fault's */
    uintptr_t pc, address;      /* where it happened, and the bad address */
    bool in_library;            /* interrupted outside the program's code */
};

/* Call fn, whose type is ft, with nargs arguments; its return value goes
 * to ret (room for ft->target->size, and at least 8 bytes). Returns 0
 * (with crash->end saying how it ended), or -1 with fail() if a type
 * cannot be passed. */
int call_function(uintptr_t fn, const struct ctype *ft, const struct call_arg *args, size_t nargs, void *ret,
                  struct call_crash *crash);

/* Call fn, a constructor as .init_array lists them, with the guard. */
void call_initializer(uintptr_t fn, int argc, char **argv, char **envp, struct call_crash *crash);

/* From another thread: interrupt the call that thread tid is running, for
 * `why` (CALL_TIMED_OUT or CALL_STOPPED). The call is abandoned where it
 * is, as a crashed call is, once the thread runs the program's own code:
 * in a library (malloc, stdio, a system call) it may hold the library's
 * locks, so it is given up to CALL_LIBRARY_GRACE_MS to come back first.
 * Ask again until the call ends. -1 if tid runs no call. */
#define CALL_LIBRARY_GRACE_MS 2000
int call_interrupt(pid_t tid, enum call_end why);

#endif
