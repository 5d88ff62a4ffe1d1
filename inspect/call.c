/* A guarded call through libffi. libffi knows the psABI's classification
 * of arguments (which go in integer registers, which in SSE registers,
 * which structs go in memory); this file only says what each C type is.
 *
 * The guard: for the length of the call, SIGSEGV, SIGBUS, SIGFPE and
 * SIGILL in the calling thread jump back out of the call (base/signals.c),
 * on an alternate stack so that a runaway recursion is caught too. Other
 * threads are not affected. */
#include "call.h"

#include <ffi.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "signals.h"
#include "util.h"

#define MAX_INLINE_ELEMENTS 256 /* of an array member passed in a struct */
#define ALT_STACK_SIZE (64 * 1024) /* the guard's handler runs on it */

static const int guarded_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};

/* ffi_type records made for structs, freed after the call. */
struct ffi_types {
    ffi_type **made;
    size_t n, cap;
};

static ffi_type *ffi_type_of(struct ffi_types *ft, const struct ctype *t, int depth);

static ffi_type *integer_type(uint64_t size, bool is_signed)
{
    switch (size) {
    case 1: return is_signed ? &ffi_type_sint8 : &ffi_type_uint8;
    case 2: return is_signed ? &ffi_type_sint16 : &ffi_type_uint16;
    case 4: return is_signed ? &ffi_type_sint32 : &ffi_type_uint32;
    case 8: return is_signed ? &ffi_type_sint64 : &ffi_type_uint64;
    default: return NULL;
    }
}

/* Append the ffi types that lay out a member: an array member is as many
 * elements in a row. */
static bool add_elements(struct ffi_types *ft, ffi_type ***elems, size_t *n, size_t *cap,
                         const struct ctype *t, int depth)
{
    uint64_t count = 1;
    while (t->kind == CT_ARRAY) {
        count *= t->count;
        t = t->target;
        if (count > MAX_INLINE_ELEMENTS)
            return false;
    }
    ffi_type *e = ffi_type_of(ft, t, depth + 1);
    for (uint64_t i = 0; e && i < count; i++)
        ARRAY_PUSH(*elems, *n, *cap, e);
    return e != NULL;
}

static ffi_type *struct_type(struct ffi_types *ft, const struct ctype *t, int depth)
{
    ffi_type **elems = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < t->nmembers; i++)
        if (t->members[i].bit_size || !add_elements(ft, &elems, &n, &cap, t->members[i].type, depth)) {
            xfree(elems);
            return NULL; /* bit-fields, unions inside: libffi cannot say them */
        }
    ARRAY_PUSH(elems, n, cap, NULL);
    ffi_type *s = xcalloc(1, sizeof *s);
    s->type = FFI_TYPE_STRUCT;
    s->elements = elems;
    ARRAY_PUSH(ft->made, ft->n, ft->cap, s);
    return s;
}

static ffi_type *ffi_type_of(struct ffi_types *ft, const struct ctype *t, int depth)
{
    if (depth > 16)
        return NULL;
    switch (t->kind) {
    case CT_VOID: return &ffi_type_void;
    case CT_BOOL:
    case CT_UNSIGNED: return integer_type(t->size, false);
    case CT_SIGNED: return integer_type(t->size, true);
    case CT_ENUM: return integer_type(t->size, !t->target || t->target->kind != CT_UNSIGNED);
    case CT_POINTER: return &ffi_type_pointer;
    case CT_FLOAT:
        return t->size == 4 ? &ffi_type_float : t->size == 8 ? &ffi_type_double
             : t->size == 16 ? &ffi_type_longdouble : NULL;
    case CT_STRUCT: return t->size && t->nmembers ? struct_type(ft, t, depth) : NULL;
    default: return NULL;
    }
}

static void ffi_types_free(struct ffi_types *ft)
{
    for (size_t i = 0; i < ft->n; i++) {
        xfree(ft->made[i]->elements);
        xfree(ft->made[i]);
    }
    xfree(ft->made);
}

/* ---- the guard -------------------------------------------------------- */

/* hotld's own threads block every signal (the program's are not theirs);
 * a fault while blocked would kill the process, so the guarded ones are
 * let through for the call. */
static void guard_on(struct fault_guard *g, stack_t *old_stack, void *alt, sigset_t *old_mask)
{
    sigset_t faults;
    sigemptyset(&faults);
    for (size_t i = 0; i < ARRAY_SIZE(guarded_signals); i++) {
        sigaddset(&faults, guarded_signals[i]);
        signals_take(guarded_signals[i], NULL); /* a session took them at start */
    }
    pthread_sigmask(SIG_UNBLOCK, &faults, old_mask);
    stack_t ss = {.ss_sp = alt, .ss_size = ALT_STACK_SIZE};
    sigaltstack(&ss, old_stack);
    signals_guard(g);
}

static void guard_off(const stack_t *old_stack, const sigset_t *old_mask)
{
    signals_guard(NULL);
    sigaltstack(old_stack, NULL);
    pthread_sigmask(SIG_SETMASK, old_mask, NULL);
}

static void guarded_call(ffi_cif *cif, uintptr_t fn, void *ret, void **values, struct call_crash *crash)
{
    void *alt = xmalloc(ALT_STACK_SIZE);
    stack_t old_stack;
    sigset_t old_mask;
    struct fault_guard g;
    memset(crash, 0, sizeof *crash);
    guard_on(&g, &old_stack, alt, &old_mask);
    if (sigsetjmp(g.jmp, 1) == 0)
        ffi_call(cif, FFI_FN(fn), ret, values);
    else
        *crash = (struct call_crash){g.signal, g.pc, g.address};
    guard_off(&old_stack, &old_mask);
    xfree(alt);
}

int call_function(uintptr_t fn, const struct ctype *ft, const struct call_arg *args, size_t nargs, void *ret,
                  struct call_crash *crash)
{
    struct ffi_types made = {0};
    ffi_type **types = xcalloc(nargs + 1, sizeof *types);
    void **values = xcalloc(nargs + 1, sizeof *values);
    ffi_type *rtype = ffi_type_of(&made, ft->target, 0);
    int rc = 0;
    if (!rtype)
        rc = fail("cannot take a return value of type %s", ft->target->name);
    for (size_t i = 0; rc == 0 && i < nargs; i++) {
        types[i] = ffi_type_of(&made, args[i].type, 0);
        values[i] = (void *)args[i].bytes;
        if (!types[i])
            rc = fail("cannot pass argument %zu of type %s", i + 1, args[i].type->name);
    }
    ffi_cif cif;
    ffi_status st = FFI_OK;
    if (rc == 0)
        st = ft->variadic ? ffi_prep_cif_var(&cif, FFI_DEFAULT_ABI, (unsigned)ft->nparams, (unsigned)nargs, rtype, types)
                          : ffi_prep_cif(&cif, FFI_DEFAULT_ABI, (unsigned)nargs, rtype, types);
    if (rc == 0 && st != FFI_OK)
        rc = fail("libffi cannot prepare a call of type %s", ft->name);
    if (rc == 0)
        guarded_call(&cif, fn, ret, values, crash);
    ffi_types_free(&made);
    xfree(types);
    xfree(values);
    return rc;
}
