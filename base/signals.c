/* Signals shared between hotld and the program it runs: the fatal ones,
 * and the real-time ones hotld parks threads and interrupts calls with.
 *
 * The kernel has one action per signal and process, and both want it: the
 * program's crash reporter (Redis's bug report, a game's minidump writer)
 * and hotld's rollback of a crashing reload. So hotld keeps the kernel's
 * action for the signals it takes, and the program's sigaction() and
 * signal() change a table instead, which is what it then reads back. When
 * hotld does not deal with a signal itself, it runs the program's action
 * from that table as the kernel would have: same handler, siginfo and
 * context, mask and flags (SA_RESETHAND, SA_NODEFER). The one difference
 * is the stack: the handler runs where hotld's handler does, on the
 * thread's alternate stack if it has one. A real-time signal goes to the
 * program unless hotld's own process queued it (the policy says).
 *
 * The table is written by sigaction() and read in signal handlers: each
 * signal has two copies and an index, the writer fills the copy not in use
 * and then flips the index, under a spin lock with its own signals
 * blocked. A reader never waits. */
#include "forksafe.h"
#include "signals.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <ucontext.h>

typedef int sigaction_fn(int, const struct sigaction *, struct sigaction *);
typedef __sighandler_t signal_fn(int, __sighandler_t);

struct taken {
    atomic_bool taken;
    signal_policy *_Atomic policy;
    struct sigaction view[2];   /* the program's action */
    atomic_int current;         /* which copy is in use */
};

static struct taken taken[NSIG];
static atomic_flag view_lock = ATOMIC_FLAG_INIT;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_flag(&view_lock);
}
static __thread struct fault_guard *guard;

/* libc's definitions, or those of a library interposing after hotld (a
 * sanitizer runtime, an LD_PRELOAD library), looked up once, before any
 * signal is taken: a program may call signal() from a signal handler,
 * where dlsym must not run. */
enum { NEXT_SIGACTION, NEXT_SIGNAL, NEXT_BSD_SIGNAL, NEXT_SSIGNAL, NEXT_SYSV_SIGNAL, NEXT_SIGSET, NNEXT };
static const char *const next_names[NNEXT] = {"sigaction", "signal", "bsd_signal", "ssignal", "sysv_signal",
                                              "sigset"};
static void *next_fns[NNEXT];
static pthread_once_t next_once = PTHREAD_ONCE_INIT;

static void look_up_next(void)
{
    for (size_t i = 0; i < NNEXT; i++)
        next_fns[i] = dlsym(RTLD_NEXT, next_names[i]);
}

static void *next_definition(int which)
{
    pthread_once(&next_once, look_up_next);
    return next_fns[which];
}

static sigaction_fn *real_sigaction(void)
{
    return (sigaction_fn *)next_definition(NEXT_SIGACTION);
}

static bool is_taken(int sig)
{
    return sig > 0 && sig < NSIG && atomic_load(&taken[sig].taken);
}

static void view_get(int sig, struct sigaction *out)
{
    *out = taken[sig].view[atomic_load(&taken[sig].current)];
}

static void view_set(int sig, const struct sigaction *act)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    while (atomic_flag_test_and_set(&view_lock))
        ;
    int next = !atomic_load(&taken[sig].current);
    taken[sig].view[next] = *act;
    atomic_store(&taken[sig].current, next);
    atomic_flag_clear(&view_lock);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void signals_kernel_default(int sig)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    real_sigaction()(sig, &dfl, NULL);
}

/* Caused by the instruction that was running (it runs again if the
 * handler returns), not sent by kill, raise or abort. */
static bool is_fault(int sig, const siginfo_t *si)
{
    return si->si_code > 0 && sig != SIGABRT;
}

void signals_deliver(int sig, siginfo_t *si, void *context)
{
    struct sigaction a = {.sa_handler = SIG_DFL};
    if (is_taken(sig))
        view_get(sig, &a);
    if (a.sa_handler == SIG_IGN && !is_fault(sig, si))
        return;
    if (a.sa_handler == SIG_DFL || a.sa_handler == SIG_IGN) {
        /* the kernel ignores no fault: it dies of it */
        signals_kernel_default(sig);
        if (!is_fault(sig, si))
            raise(sig);
        return;
    }
    if (a.sa_flags & SA_RESETHAND) {
        struct sigaction dfl = {.sa_handler = SIG_DFL};
        view_set(sig, &dfl);
    }
    sigset_t mask = a.sa_mask;
    if (!(a.sa_flags & SA_NODEFER))
        sigaddset(&mask, sig);
    pthread_sigmask(SIG_BLOCK, &mask, NULL); /* sigreturn puts the old mask back */
    if (a.sa_flags & SA_SIGINFO)
        a.sa_sigaction(sig, si, context);
    else
        a.sa_handler(sig);
}

static void leave_guard(int sig, uintptr_t pc, uintptr_t address)
{
    struct fault_guard *g = guard;
    guard = NULL;
    g->signal = sig;
    g->pc = pc;
    g->address = address;
    siglongjmp(g->jmp, 1);
}

void signals_escape(int sig, uintptr_t pc)
{
    if (guard)
        leave_guard(sig, pc, 0);
}

static bool is_guarded(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL;
}

static void on_signal(int sig, siginfo_t *si, void *context)
{
    int saved = errno;
    if (guard && is_guarded(sig))
        leave_guard(sig, (uintptr_t)((const ucontext_t *)context)->uc_mcontext.gregs[REG_RIP], (uintptr_t)si->si_addr);
    signal_policy *policy = atomic_load(&taken[sig].policy);
    if (!policy || !policy(sig, si, context))
        signals_deliver(sig, si, context);
    errno = saved;
}

void signals_take(int sig, signal_policy *policy, int flags, const sigset_t *mask)
{
    if (policy)
        atomic_store(&taken[sig].policy, policy);
    if (atomic_load(&taken[sig].taken))
        return;
    struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | flags}, old;
    if (mask)
        sa.sa_mask = *mask;
    else
        sigemptyset(&sa.sa_mask);
    if (real_sigaction()(sig, &sa, &old) != 0)
        return;
    /* A handler already there is hotld's own process's (the sanitizer
     * runtime of an instrumented hotld): the program, not yet started,
     * has the default action, as when it runs on its own. An inherited
     * SIG_IGN is the program's. */
    if (old.sa_handler != SIG_IGN) {
        old = (struct sigaction){.sa_handler = SIG_DFL};
        sigemptyset(&old.sa_mask);
    }
    taken[sig].view[0] = old;
    atomic_store(&taken[sig].taken, true);
}

void signals_guard(struct fault_guard *g)
{
    guard = g;
}

/* ---- what the program calls (exported from hotld's executable) -------- */

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict old)
{
    if (!is_taken(sig))
        return real_sigaction()(sig, act, old);
    struct sigaction was;
    view_get(sig, &was);
    if (act)
        view_set(sig, act);
    if (old)
        *old = was;
    return 0;
}

int __sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    return sigaction(sig, act, old);
}

/* signal() with glibc's flags: BSD semantics (the handler stays, the
 * signal is blocked while it runs, system calls restart) or System V's
 * (the handler runs once, unblocked, system calls fail with EINTR). */
static __sighandler_t set_handler(int sig, __sighandler_t handler, bool bsd)
{
    struct sigaction act = {.sa_handler = handler}, old;
    sigemptyset(&act.sa_mask);
    if (bsd) {
        sigaddset(&act.sa_mask, sig);
        act.sa_flags = SA_RESTART;
    } else {
        act.sa_flags = SA_RESETHAND | SA_NODEFER;
    }
    if (handler == SIG_ERR || sigaction(sig, &act, &old) != 0) {
        errno = EINVAL;
        return SIG_ERR;
    }
    return old.sa_handler;
}

static __sighandler_t forward(int which, int sig, __sighandler_t handler)
{
    signal_fn *fn = (signal_fn *)next_definition(which);
    return fn ? fn(sig, handler) : SIG_ERR;
}

__sighandler_t signal(int sig, __sighandler_t handler)
{
    return is_taken(sig) ? set_handler(sig, handler, true) : forward(NEXT_SIGNAL, sig, handler);
}

__sighandler_t bsd_signal(int sig, __sighandler_t handler);
__sighandler_t bsd_signal(int sig, __sighandler_t handler)
{
    return is_taken(sig) ? set_handler(sig, handler, true) : forward(NEXT_BSD_SIGNAL, sig, handler);
}

__sighandler_t ssignal(int sig, __sighandler_t handler)
{
    return is_taken(sig) ? set_handler(sig, handler, true) : forward(NEXT_SSIGNAL, sig, handler);
}

__sighandler_t sysv_signal(int sig, __sighandler_t handler)
{
    return is_taken(sig) ? set_handler(sig, handler, false) : forward(NEXT_SYSV_SIGNAL, sig, handler);
}

__sighandler_t __sysv_signal(int sig, __sighandler_t handler)
{
    return sysv_signal(sig, handler);
}

/* System V's sigset: SIG_HOLD blocks the signal; any other disposition
 * is set with an empty mask and unblocks it. The result is SIG_HOLD if
 * it was blocked. */
__sighandler_t sigset(int sig, __sighandler_t disp)
{
    if (!is_taken(sig))
        return forward(NEXT_SIGSET, sig, disp);
    sigset_t one, was;
    sigemptyset(&one);
    sigaddset(&one, sig);
    struct sigaction old;
    if (disp == SIG_HOLD) {
        pthread_sigmask(SIG_BLOCK, &one, &was);
        sigaction(sig, NULL, &old);
    } else {
        struct sigaction act = {.sa_handler = disp};
        sigemptyset(&act.sa_mask);
        if (disp == SIG_ERR || sigaction(sig, &act, &old) != 0)
            return errno = EINVAL, SIG_ERR;
        pthread_sigmask(SIG_UNBLOCK, &one, &was);
    }
    return sigismember(&was, sig) ? SIG_HOLD : old.sa_handler;
}
