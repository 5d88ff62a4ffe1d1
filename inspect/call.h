/* Calling a function of the running program with arguments built from
 * its DWARF prototype, through libffi, with a guard: a crash inside the
 * call is caught and reported, and the program goes on. */
#ifndef HOTLD_CALL_H
#define HOTLD_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "ctypes.h"

/* One argument, already converted to the parameter's type (or, past a
 * variadic function's named parameters, promoted as C promotes it). */
struct call_arg {
    const struct ctype *type;
    const void *bytes;
};

struct call_crash {
    int signal;                 /* 0: the call returned */
    uintptr_t pc, address;      /* where it happened, and the bad address */
};

/* Call fn, whose type is ft, with nargs arguments; its return value goes
 * to ret (room for ft->target->size, and at least 8 bytes). Returns 0
 * (with crash->signal set if it crashed), or -1 with fail() if a type
 * cannot be passed. */
int call_function(uintptr_t fn, const struct ctype *ft, const struct call_arg *args, size_t nargs, void *ret,
                  struct call_crash *crash);

#endif
