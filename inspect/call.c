/* A guarded call through libffi. libffi knows the psABI's classification
 * of arguments (which go in integer registers, which in SSE registers,
 * which structs go in memory); this file only says what each C type is.
 *
 * The guard: for the length of the call, SIGSEGV, SIGBUS, SIGFPE and
 * SIGILL in the calling thread jump back out of the call (base/signals.c),
 * on an alternate stack so that a runaway recursion is caught too. Other
 * threads are not affected. A call that does not return is left the same
 * way when another thread interrupts it (call_interrupt). */
#include "forksafe.h"
#include "call.h"

#include <ffi.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "linker.h"
#include "procmaps.h"
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

#define INTERRUPT_SIGNAL (SIGRTMIN + 7)

/* The calls running now, so that another thread can interrupt one. A
 * serial number tells an interruption meant for this call from a late
 * one meant for an earlier call of the same thread. */
struct running_call {
    _Atomic pid_t tid;
    _Atomic unsigned serial;
    _Atomic double asked_ms;    /* first asked to stop (now_ms); 0: not yet */
    _Atomic int why;            /* enum call_end: why */
};
static struct running_call running[64];
static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_mutex(&running_lock);
}
static atomic_uint last_serial;

/* The calling thread's call, and what interrupted it. */
static __thread unsigned call_serial;
static __thread enum call_end interrupted_by;
static __thread bool interrupted_in_library;

/* Loaded code lives in the regions the linker reserved. */
static bool is_program_code(uintptr_t pc)
{
    for (int low = 0; low < 2; low++) {
        uintptr_t lo, hi;
        region_span(low, &lo, &hi);
        if (pc >= lo && pc < hi)
            return true;
    }
    return false;
}

/* The interruption's handler (base/signals.c): false for a signal that is
 * not hotld's, which goes to the program's own action. */
static bool on_interrupt(int sig, siginfo_t *si, void *context)
{
    const struct running_call *r = si->si_value.sival_ptr;
    if (si->si_code != SI_QUEUE || si->si_pid != getpid() || r < running || r >= running + ARRAY_SIZE(running))
        return false;
    if (!call_serial || atomic_load(&r->serial) != call_serial)
        return true; /* for a call that has ended */
    uintptr_t pc = (uintptr_t)((const ucontext_t *)context)->uc_mcontext.gregs[REG_RIP];
    bool in_program = is_program_code(pc);
    if (!in_program && now_ms() - atomic_load(&r->asked_ms) < CALL_LIBRARY_GRACE_MS)
        return true; /* the next request may find it back in the program */
    interrupted_by = (enum call_end)atomic_load(&r->why);
    interrupted_in_library = !in_program;
    signals_escape(sig, pc);
    return true;
}

static void install_interrupt(void)
{
    signals_take(INTERRUPT_SIGNAL, on_interrupt, SA_RESTART, NULL);
}

static void running_set(pid_t tid, unsigned serial, unsigned was)
{
    pthread_mutex_lock(&running_lock);
    for (size_t i = 0; i < ARRAY_SIZE(running); i++)
        if (running[i].tid == (was ? tid : 0) && running[i].serial == was) {
            running[i].asked_ms = 0;
            running[i].serial = serial;
            running[i].tid = serial ? tid : 0;
            break;
        }
    pthread_mutex_unlock(&running_lock);
}

int call_interrupt(pid_t tid, enum call_end why)
{
    struct running_call *r = NULL;
    double now = now_ms(), asked = now;
    pthread_mutex_lock(&running_lock);
    for (size_t i = 0; i < ARRAY_SIZE(running); i++)
        if (running[i].tid == tid) /* the innermost: the last one set */
            r = &running[i];
    if (r) {
        if (!r->asked_ms)
            r->asked_ms = now;
        asked = r->asked_ms;
        r->why = (int)why;
    }
    pthread_mutex_unlock(&running_lock);
    if (!r)
        return -1;
    char state[160];
    /* asleep in a system call: a signal would cut its sleep short (EINTR),
     * changing what the call does, not only ending it */
    if (now - asked < CALL_LIBRARY_GRACE_MS && proc_task_in_syscall(tid, state, sizeof state))
        return 0; /* in libc, not the program's code: ask again later */
    siginfo_t si = {.si_signo = INTERRUPT_SIGNAL, .si_code = SI_QUEUE, .si_pid = getpid(), .si_uid = getuid()};
    si.si_value.sival_ptr = r;
    return (int)syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, INTERRUPT_SIGNAL, &si);
}

/* hotld's own threads block every signal (the program's are not theirs);
 * a fault while blocked would kill the process, so the guarded ones are
 * let through for the call, and the interruption too. */
static void guard_on(struct fault_guard *g, stack_t *old_stack, void *alt, sigset_t *old_mask)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_interrupt);
    sigset_t let_in;
    sigemptyset(&let_in);
    sigaddset(&let_in, INTERRUPT_SIGNAL);
    for (size_t i = 0; i < ARRAY_SIZE(guarded_signals); i++) {
        sigaddset(&let_in, guarded_signals[i]);
        signals_take(guarded_signals[i], NULL, SIGNALS_FATAL_FLAGS, NULL); /* a session took them at start */
    }
    stack_t ss = {.ss_sp = alt, .ss_size = ALT_STACK_SIZE};
    sigaltstack(&ss, old_stack);
    signals_guard(g);
    pthread_sigmask(SIG_UNBLOCK, &let_in, old_mask);
}

static void guard_off(const stack_t *old_stack, const sigset_t *old_mask)
{
    pthread_sigmask(SIG_SETMASK, old_mask, NULL);
    signals_guard(NULL);
    sigaltstack(old_stack, NULL);
}

/* Run run(ctx) with the guard: crash says how it ended. */
static void guarded_call(void (*run)(void *ctx), void *ctx, struct call_crash *crash)
{
    void *alt = xmalloc(ALT_STACK_SIZE);
    stack_t old_stack;
    sigset_t old_mask;
    struct fault_guard g;
    pid_t self = (pid_t)syscall(SYS_gettid);
    unsigned outer = call_serial, serial = atomic_fetch_add(&last_serial, 1) + 1;
    serial = serial ? serial : 1; /* 0: no call */
    memset(crash, 0, sizeof *crash);
    running_set(self, serial, 0);
    call_serial = serial;
    guard_on(&g, &old_stack, alt, &old_mask);
    if (sigsetjmp(g.jmp, 1) == 0)
        run(ctx);
    else if (g.signal == INTERRUPT_SIGNAL)
        *crash = (struct call_crash){interrupted_by, 0, g.pc, 0, interrupted_in_library};
    else
        *crash = (struct call_crash){CALL_CRASHED, g.signal, g.pc, g.address, false};
    guard_off(&old_stack, &old_mask);
    call_serial = outer;
    running_set(self, 0, serial);
    xfree(alt);
}

struct ffi_call_args {
    ffi_cif *cif;
    uintptr_t fn;
    void *ret;
    void **values;
};

static void run_ffi_call(void *ctx)
{
    struct ffi_call_args *a = ctx;
    ffi_call(a->cif, FFI_FN(a->fn), a->ret, a->values);
}

struct initializer_args {
    uintptr_t fn;
    int argc;
    char **argv, **envp;
};

static void run_initializer(void *ctx)
{
    struct initializer_args *a = ctx;
    ((void (*)(int, char **, char **))a->fn)(a->argc, a->argv, a->envp);
}

void call_initializer(uintptr_t fn, int argc, char **argv, char **envp, struct call_crash *crash)
{
    struct initializer_args a = {fn, argc, argv, envp};
    guarded_call(run_initializer, &a, crash);
}

/* A struct or class the psABI returns in memory (larger than 16 bytes),
 * whose layout libffi cannot describe (a union in it, as std::string
 * has): the caller's buffer is passed as the hidden first argument, as
 * the psABI passes it, and the function returns nothing libffi needs. */
static bool returned_in_memory(const struct ctype *t)
{
    return (t->kind == CT_STRUCT || t->kind == CT_UNION) && t->size > 16;
}

int call_function(uintptr_t fn, const struct ctype *ft, const struct call_arg *args, size_t nargs, void *ret,
                  struct call_crash *crash)
{
    struct ffi_types made = {0};
    ffi_type **types = xcalloc(nargs + 2, sizeof *types);
    void **values = xcalloc(nargs + 2, sizeof *values);
    ffi_type *rtype = ffi_type_of(&made, ft->target, 0);
    size_t hidden = !rtype && returned_in_memory(ft->target);
    void *buffer = ret;
    int rc = 0;
    if (hidden) {
        rtype = &ffi_type_void;
        types[0] = &ffi_type_pointer;
        values[0] = &buffer;
    } else if (!rtype) {
        rc = fail("cannot take a return value of type %s", ft->target->name);
    }
    for (size_t i = 0; rc == 0 && i < nargs; i++) {
        types[hidden + i] = ffi_type_of(&made, args[i].type, 0);
        values[hidden + i] = (void *)args[i].bytes;
        if (!types[hidden + i])
            rc = fail("cannot pass argument %zu of type %s", i + 1, args[i].type->name);
    }
    ffi_cif cif;
    ffi_status st = FFI_OK;
    unsigned nfixed = (unsigned)(ft->nparams + hidden), ntotal = (unsigned)(nargs + hidden);
    if (rc == 0)
        st = ft->variadic ? ffi_prep_cif_var(&cif, FFI_DEFAULT_ABI, nfixed, ntotal, rtype, types)
                          : ffi_prep_cif(&cif, FFI_DEFAULT_ABI, ntotal, rtype, types);
    if (rc == 0 && st != FFI_OK)
        rc = fail("libffi cannot prepare a call of type %s", ft->name);
    struct ffi_call_args a = {&cif, fn, ret, values};
    if (rc == 0)
        guarded_call(run_ffi_call, &a, crash);
    ffi_types_free(&made);
    xfree(types);
    xfree(values);
    return rc;
}
