/* When code a reload brought crashes (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * abort): a report with a symbolized backtrace, and, for a crash in the
 * code of the last reload, inside hotld_protect() and with --rollback, a
 * rollback of that reload instead of the process's death. A crash of the
 * program as it started is left alone: it dies as the linked program
 * would.
 *
 * The handler captures the frames where it runs (libgcc's unwinder steps
 * over the signal frame). A rollback cannot happen there: the crashed
 * code's frames are still on the stack, and the locks it holds are held.
 * So the handler jumps back to the hotld_protect() call the code runs
 * under, out of those frames, and the report and the rollback happen
 * there, in the program's own thread, as a cooperative reload would. A
 * crash anywhere else is reported from the handler, the program's state
 * being lost anyway, and then takes its default action (a core dump). */
#include "crash.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

#include "backtrace.h"
#include "util.h"

#define MAX_FRAMES 64
#define ALT_STACK_SIZE (64 * 1024)

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

struct crash {
    int signal, code;
    uintptr_t address;          /* the bad address of SIGSEGV, SIGBUS */
    uintptr_t frames[MAX_FRAMES]; /* frames[0]: where it happened */
    size_t nframes;
};

static struct session *session;
static bool rollback_enabled;
static __thread sigjmp_buf *guard;
static __thread struct crash *guard_crash;

/* ---- in the handler ------------------------------------------------ */

struct unwind_state {
    struct crash *c;
    bool past_handler;          /* the interrupted frame has been met */
};

static _Unwind_Reason_Code add_frame(struct _Unwind_Context *ctx, void *arg)
{
    struct unwind_state *u = arg;
    int before = 0;
    uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
    if (!u->past_handler) {
        u->past_handler = ip == u->c->frames[0]; /* the signal frame's own */
        return _URC_NO_REASON;
    }
    if (u->c->nframes == MAX_FRAMES || ip == 0)
        return _URC_END_OF_STACK;
    u->c->frames[u->c->nframes++] = ip;
    return _URC_NO_REASON;
}

static void capture(struct crash *c, int sig, const siginfo_t *si, const ucontext_t *uc)
{
    *c = (struct crash){.signal = sig, .code = si->si_code, .address = (uintptr_t)si->si_addr};
    c->frames[0] = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    c->nframes = 1;
    struct unwind_state u = {c, false};
    _Unwind_Backtrace(add_frame, &u);
}

/* The first frame in the program's code: where the crash is its own (an
 * abort() is raised inside libc, called by the program). */
static bool crash_site(const struct crash *c, struct code_place *site)
{
    for (size_t i = 0; i < c->nframes; i++) {
        code_place_of(session, c->frames[i], i > 0, site);
        if (site->obj)
            return true;
    }
    return false;
}

/* What to do with a crash: roll back, or report it (a crash in code some
 * reload brought), or neither (the program's own code as it started: it
 * dies exactly as the linked program would, stdio buffers unflushed and
 * stderr untouched). */
enum verdict { ROLL_BACK, REPORT, DIE };

static enum verdict judge(const struct crash *c, bool locked)
{
    struct code_place site;
    bool reloaded = crash_site(c, &site) && site.version > 0;
    bool covered = reloaded && locked && rollback_covers(session, site.obj);
    return covered && guard && rollback_enabled ? ROLL_BACK : reloaded ? REPORT : DIE;
}

/* ---- the report -------------------------------------------------------- */

static void describe_signal(const struct crash *c, struct strbuf *sb)
{
    const char *name = sigabbrev_np(c->signal);
    sb_printf(sb, "hotld: SIG%s", name ? name : "?");
    if (c->signal == SIGSEGV || c->signal == SIGBUS)
        sb_printf(sb, " (address 0x%lx)", (unsigned long)c->address);
    else if (c->signal == SIGFPE && c->code == FPE_INTDIV)
        sb_printf(sb, " (integer division by zero)");
    else if (c->signal == SIGABRT)
        sb_printf(sb, " (abort)");
}

static void report(const struct crash *c, const char *outcome)
{
    struct strbuf sb = {0};
    struct code_place site;
    describe_signal(c, &sb);
    if (crash_site(c, &site))
        sb_printf(&sb, " in %s of %s, version %u", *site.function ? site.function : "??",
                  path_base(site.obj->name), site.version);
    sb_printf(&sb, "%s%s\n", *outcome ? ": " : "", outcome);
    backtrace_text(session, c->frames, c->nframes, &sb);
    if (write(STDERR_FILENO, sb.s, sb.len) < 0)
        sb.len = 0; /* nowhere to say it */
    free(sb.s);
}

/* The default action, as if hotld had not been there. */
static void die(int sig, const siginfo_t *si)
{
    signal(sig, SIG_DFL);
    if (si->si_code <= 0 || sig == SIGABRT)
        raise(sig); /* sent, not caused: send it again */
    /* a fault: returning runs the instruction again, which faults again */
}

static void on_fatal(int sig, siginfo_t *si, void *context)
{
    struct crash c;
    capture(&c, sig, si, context);
    /* unless a reload runs (maybe in this very thread): then read as is */
    bool locked = pthread_mutex_trylock(&session->lock) == 0;
    enum verdict v = judge(&c, locked);
    if (v == REPORT)
        report(&c, guard && rollback_enabled ? "not in code the last reload brought, no rollback" : "");
    if (locked)
        pthread_mutex_unlock(&session->lock);
    if (v == ROLL_BACK) {
        *guard_crash = c;
        siglongjmp(*guard, 1);
    }
    die(sig, si);
}

/* ---- hotld_protect --------------------------------------------------- */

/* Back in hotld_protect, out of the crashed frames: report, roll back.
 * The report comes first, while the crashed code is still the current
 * version and is named as such. */
static void recover(const struct crash *c)
{
    char *summary = NULL;
    pthread_mutex_lock(&session->lock);
    report(c, "rolling back to the previous version");
    clear_error();
    int rc = reload_rollback(session, &summary);
    pthread_mutex_unlock(&session->lock);
    if (rc >= 0) {
        fprintf(stderr, "%s\n", summary);
        free(summary);
        return;
    }
    fprintf(stderr, "hotld: error: rollback failed: %s\n", last_error());
    siginfo_t sent = {.si_code = SI_USER};
    die(c->signal, &sent);
}

static int protect(void (*fn)(void *), void *ctx)
{
    sigjmp_buf here, *outer = guard;
    struct crash c, *outer_crash = guard_crash;
    if (!fn)
        return 0;
    if (sigsetjmp(here, 1) == 0) {
        guard = &here;
        guard_crash = &c;
        fn(ctx);
        guard = outer;
        guard_crash = outer_crash;
        return 0;
    }
    guard = outer;
    guard_crash = outer_crash;
    recover(&c);
    return c.signal;
}

void crash_init(struct session *se, bool rollback)
{
    static char alt_stack[ALT_STACK_SIZE]; /* the main thread's, for a stack overflow */
    session = se;
    rollback_enabled = rollback;
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_sigaction = on_fatal, .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
        sigaction(fatal_signals[i], &sa, NULL);
    strmap_slot(&se->host, "__hotld_protect")->value = (void *)protect;
}
