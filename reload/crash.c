/* When code a reload brought crashes (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * abort): a report with a symbolized backtrace, and, for a crash in the
 * code of the last reload with --rollback, a rollback of that reload
 * instead of the process's death. A crash of the program as it started is
 * left alone: it goes to the program's own action (its crash handler, or
 * the default death) as in the linked program (base/signals.c).
 *
 * The handler captures the frames where it runs (libgcc's unwinder steps
 * over the signal frame). A rollback cannot happen there: the crashed
 * code's frames are still on the stack, and the locks it holds are held.
 * So the handler leaves those frames first, and the report and the
 * rollback happen after, in the program's own thread, as a cooperative
 * reload would. Inside hotld_protect(), it jumps back there. Elsewhere,
 * the crashed call into the new code is abandoned: the handler makes the
 * thread resume as if that call were returning, in a function that rolls
 * back and then returns 0 to the caller, with the registers the caller
 * keeps across calls as the unwinder finds them. A crash it cannot leave
 * that way is reported from the handler, the program's state being lost
 * anyway, and then goes to the program's own action. */
#include "crash.h"

#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/uio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

#include "backtrace.h"
#include "handlerfork.h"
#include "jit.h"
#include "pointerscan.h"
#include "signals.h"
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

/* The frame a crashed call into new code returns to: its caller's. */
struct return_point {
    uintptr_t ip, sp;           /* sp: where the return address is */
    uintptr_t rbx, rbp, r12, r13, r14, r15;
};

static struct program *program;
static bool rollback_enabled;
static __thread sigjmp_buf *guard;
static __thread struct crash *guard_crash;
static __thread struct crash abandoned; /* the crash a resumed thread rolls back */
static __thread char abandoned_outcome[400];

/* ---- in the handler ------------------------------------------------ */

/* The frames from the interrupted one outwards, each given to visit
 * (index 0: the interrupted frame) until it returns false. libgcc's
 * unwinder starts in the handler and steps over the signal frame: the
 * frames before the interrupted one are the handler's own. */
typedef bool frame_visit(void *arg, size_t index, struct _Unwind_Context *ctx, uintptr_t ip);

struct frame_walk {
    uintptr_t crash_ip;
    frame_visit *visit;
    void *arg;
    size_t index;
    bool started;               /* the interrupted frame has been met */
};

static _Unwind_Reason_Code walk_step(struct _Unwind_Context *ctx, void *arg)
{
    struct frame_walk *w = arg;
    int before = 0;
    uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
    if (!w->started && !(w->started = ip == w->crash_ip))
        return _URC_NO_REASON;
    return ip && w->visit(w->arg, w->index++, ctx, ip) ? _URC_NO_REASON : _URC_END_OF_STACK;
}

static void walk_frames(uintptr_t crash_ip, frame_visit *visit, void *arg)
{
    struct frame_walk w = {crash_ip, visit, arg, 0, false};
    _Unwind_Backtrace(walk_step, &w);
}

/* frames[0] comes from the signal's context; the others are added. */
static bool add_frame(void *arg, size_t index, struct _Unwind_Context *ctx, uintptr_t ip)
{
    struct crash *c = arg;
    (void)ctx;
    if (index == 0)
        return true;
    if (c->nframes == MAX_FRAMES)
        return false;
    c->frames[c->nframes++] = ip;
    return true;
}

static void capture(struct crash *c, int sig, const siginfo_t *si, const ucontext_t *uc)
{
    *c = (struct crash){.signal = sig, .code = si->si_code, .address = (uintptr_t)si->si_addr};
    c->frames[0] = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    c->nframes = 1;
    walk_frames(c->frames[0], add_frame, c);
}

/* The same walk again, to the caller's frame. Its context has the
 * registers calls preserve (DWARF numbers 3, 6, 12-15: rbx, rbp,
 * r12-r15), and its CFA is the callee's: the stack pointer the caller has
 * once the call returns, just above the return address. */
struct return_search {
    struct return_point *rp;
    size_t caller;              /* the caller's frame index */
    bool found;
};

static bool find_return_point(void *arg, size_t index, struct _Unwind_Context *ctx, uintptr_t ip)
{
    struct return_search *r = arg;
    if (index < r->caller)
        return true;
    *r->rp = (struct return_point){
        .ip = ip,
        .sp = _Unwind_GetCFA(ctx) - sizeof(uintptr_t),
        .rbx = _Unwind_GetGR(ctx, 3),
        .rbp = _Unwind_GetGR(ctx, 6),
        .r12 = _Unwind_GetGR(ctx, 12),
        .r13 = _Unwind_GetGR(ctx, 13),
        .r14 = _Unwind_GetGR(ctx, 14),
        .r15 = _Unwind_GetGR(ctx, 15),
    };
    r->found = true;
    return false;
}

/* The first frame in the program's code: where the crash is its own (an
 * abort() is raised inside libc, called by the program). */
static bool crash_site(const struct crash *c, struct code_place *site, size_t *frame)
{
    for (size_t i = 0; i < c->nframes; i++) {
        code_place_of(program, c->frames[i], i > 0, site);
        if (site->obj)
            return *frame = i, true;
    }
    return false;
}

/* What to do with a crash: roll back, or report it (a crash in code some
 * reload brought), or neither (the program's own code as it started: it
 * dies exactly as the linked program would, stdio buffers unflushed and
 * stderr untouched). */
enum verdict { ROLL_BACK, REPORT, DIE };

static enum verdict judge_crash(const struct crash *c, bool locked, size_t *site_frame)
{
    struct code_place site;
    bool reloaded = crash_site(c, &site, site_frame) && site.version > 0;
    bool covered = reloaded && locked && rollback_covers(program, site.obj);
    return covered && rollback_enabled ? ROLL_BACK : reloaded ? REPORT : DIE;
}

/* Without hotld_protect(): the caller of the outermost frame of the last
 * reload's code, from the crash site on, if it is program code that can
 * be returned to. Its name and the callee's go into outcome. */
static bool return_point_of(const struct crash *c, size_t site_frame, struct return_point *rp, char *outcome,
                            size_t size)
{
    struct code_place callee, caller = {0};
    size_t k = site_frame;
    code_place_of(program, c->frames[k], k > 0, &callee);
    while (k + 1 < c->nframes) {
        code_place_of(program, c->frames[k + 1], true, &caller);
        if (!caller.obj || !rollback_covers(program, caller.obj))
            break;
        callee = caller;
        k++;
    }
    if (k + 1 >= c->nframes || !caller.obj)
        return false; /* new code all the way, or called from a library */
    struct return_search r = {rp, k + 1, false};
    walk_frames(c->frames[0], find_return_point, &r);
    if (!r.found || rp->ip != c->frames[k + 1] || *(const uintptr_t *)rp->sp != rp->ip)
        return false; /* the walk does not agree with itself: do not guess */
    snprintf(outcome, size, "rolling back to the previous version; %s returns 0 to %s",
             *callee.function ? callee.function : "the call", *caller.function ? caller.function : "its caller");
    return true;
}

/* ---- the report -------------------------------------------------------- */

/* "hotld: SIGSEGV (address 0x0) in next of mod.o, version 2: OUTCOME" */
static void crash_header(const struct crash *c, const char *outcome, char *line, size_t size)
{
    const char *name = sigabbrev_np(c->signal);
    struct code_place site;
    size_t frame;
    int n = snprintf(line, size, "hotld: SIG%s", name ? name : "?");
    if (c->signal == SIGSEGV || c->signal == SIGBUS)
        n += snprintf(line + n, size - (size_t)n, " (address 0x%lx)", (unsigned long)c->address);
    else if (c->signal == SIGFPE && c->code == FPE_INTDIV)
        n += snprintf(line + n, size - (size_t)n, " (integer division by zero)");
    else if (c->signal == SIGABRT)
        n += snprintf(line + n, size - (size_t)n, " (abort)");
    if (crash_site(c, &site, &frame))
        n += snprintf(line + n, size - (size_t)n, " in %s of %s, version %u", *site.function ? site.function : "??",
                      path_base(site.obj->name), site.version);
    snprintf(line + n, size - (size_t)n, "%s%s\n", *outcome ? ": " : "", outcome);
}

/* The report, symbolized down to source lines: it allocates. */
static void report(const struct crash *c, const char *outcome)
{
    struct strbuf sb = {0};
    char header[1024];
    crash_header(c, outcome, header, sizeof header);
    sb_printf(&sb, "%s", header);
    backtrace_text(program, c->frames, c->nframes, &sb);
    if (write(STDERR_FILENO, sb.s, sb.len) < 0)
        sb.len = 0; /* nowhere to say it */
    xfree(sb.s);
}

struct report_job {
    const struct crash *crash;
    const char *outcome;
};

static void report_in_child(const void *arg)
{
    const struct report_job *job = arg;
    for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
        signals_kernel_default(fatal_signals[i]); /* a crash here is the child's end, no report */
    report(job->crash, job->outcome);
}

/* From the handler: the report is made in a child process, as it
 * allocates; if the child cannot make it (this thread holds a lock the
 * report needs: malloc's, after a crash inside malloc), it is made here
 * without source lines, without allocating. */
static void report_from_handler(const struct crash *c, const char *outcome)
{
    struct report_job job = {c, outcome};
    if (run_in_child(report_in_child, &job))
        return;
    char header[1024];
    static const char why[] = "hotld: (no source lines: the crashed thread holds a lock that reading them needs)\n";
    crash_header(c, outcome, header, sizeof header);
    if (write(STDERR_FILENO, header, strlen(header)) < 0)
        return; /* nowhere to say it */
    backtrace_write(program, c->frames, c->nframes, STDERR_FILENO);
    if (write(STDERR_FILENO, why, sizeof why - 1) < 0)
        return;
}


static void recover(const struct crash *c, const char *outcome);

/* Where a thread resumes when its crashed call into new code is abandoned:
 * entered as if called by the return point's code (the return address is
 * on the stack, the registers calls preserve are the caller's), it rolls
 * back, then returns 0 (0.0 for a floating-point result) to that caller. */
static long crashed_call_returns(void)
{
    recover(&abandoned, abandoned_outcome);
    __asm__ volatile("pxor %%xmm0, %%xmm0" ::: "xmm0");
    return 0;
}

static void resume_at(ucontext_t *uc, const struct return_point *rp)
{
    greg_t *r = uc->uc_mcontext.gregs;
    r[REG_RSP] = (greg_t)rp->sp;
    r[REG_RBX] = (greg_t)rp->rbx;
    r[REG_RBP] = (greg_t)rp->rbp;
    r[REG_R12] = (greg_t)rp->r12;
    r[REG_R13] = (greg_t)rp->r13;
    r[REG_R14] = (greg_t)rp->r14;
    r[REG_R15] = (greg_t)rp->r15;
    r[REG_RIP] = (greg_t)crashed_call_returns;
}

/* The program's lock, to read its records: a reload may hold it (new code
 * can crash as soon as the threads are released, before the reload is
 * done), so wait for it a while; but this very thread may hold it (a
 * crash under hotld_poll's reload, in a migration function), so not for
 * ever: then the records are read as they are. */
static bool lock_program(void)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 3;
    return pthread_mutex_trylock(&program->lock) == 0 ||
           pthread_mutex_timedlock(&program->lock, &deadline) == 0;
}

/* glibc's message of a fatal error it found itself (abort() leaves it in
 * the GLIBC_PRIVATE __abort_msg), looked up once at start. */
struct abort_msg {
    unsigned size;
    char msg[];
};
static struct abort_msg **abort_msg;

/* Did glibc's malloc abort on a corrupt heap? It may then hold an arena's
 * lock, and anything in this thread that allocates would wait for it for
 * ever: the unwinder's first look at a table, the report, a rollback. */
static const char *corrupt_heap(int sig)
{
    static const char *const prefixes[] = {"malloc(", "free(", "realloc(", "calloc(", "munmap_chunk(",
                                           "malloc_consolidate(", "double free", "corrupted", "tcache"};
    if (sig != SIGABRT || !abort_msg || !*abort_msg)
        return NULL;
    for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
        if (!strncmp((*abort_msg)->msg, prefixes[i], strlen(prefixes[i])))
            return (*abort_msg)->msg;
    return NULL;
}

/* The object whose code the first word of the stack at sp that lies in
 * loaded code points into (the frame of the program that called malloc
 * or free), read safely (process_vm_readv stops at the stack's end). */
static const struct object *caller_object(uintptr_t sp, unsigned *version)
{
    uintptr_t words[512];
    for (int chunk = 0; chunk < 8; chunk++) { /* 32 KiB of stack at most */
        struct iovec local = {words, sizeof words}, remote = {(void *)(sp + chunk * sizeof words), sizeof words};
        ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
        for (ssize_t i = 0; i < got / (ssize_t)sizeof *words; i++) {
            const struct object *obj = object_at(program, words[i], version);
            if (obj)
                return obj;
        }
        if (got < (ssize_t)sizeof words)
            break;
    }
    return NULL;
}

/* For a corrupt heap: a report made without allocating or locking; then
 * the program's own action, as for the linked program. */
static void report_corrupt_heap(const char *what, const ucontext_t *uc)
{
    unsigned version = 0;
    const struct object *obj = caller_object((uintptr_t)uc->uc_mcontext.gregs[REG_RSP], &version);
    char line[512], where[200] = "";
    if (obj)
        snprintf(where, sizeof where, ", called from code of %s, version %u", path_base(obj->name), version);
    int n = snprintf(line, sizeof line, "hotld: SIGABRT: the heap is corrupt (%.*s)%s: no backtrace, no rollback\n",
                     (int)strcspn(what, "\n"), what, where);
    if (n > 0 && write(STDERR_FILENO, line, strlen(line)) < 0)
        n = 0; /* nowhere to say it */
}

/* A fault inside a library (malloc, stdio, the loader), called by new
 * code, may come with the library's locks held: abandoning its frames
 * would keep them held for ever, so there is no rollback. An abort() is
 * not a fault; glibc's aborts on a corrupt heap are dealt with before. */
static bool fault_in_library(const struct crash *c, char *why, size_t size)
{
    unsigned version;
    Dl_info info;
    if (c->code <= 0 || c->signal == SIGABRT || object_at(program, c->frames[0], &version))
        return false;
    const char *name = dladdr((void *)c->frames[0], &info) && info.dli_fname && *info.dli_fname
                           ? path_base(info.dli_fname) : "hotld";
    snprintf(why, size, "inside %s, which may hold its locks: no rollback", name);
    return true;
}

/* hotld's say on a fatal signal (base/signals.c): true if the thread
 * resumes rolled back; false passes it on to the program's own action,
 * after a report if reloaded code crashed. */
static bool on_fatal(int sig, siginfo_t *si, void *context)
{
    if (program->debug_stale)
        jit_image_awaited(); /* the session's thread makes them again */
    jit_wait_for_image(2000); /* a crash as the program starts: its core names its frames too */
    const char *heap = corrupt_heap(sig);
    if (heap) {
        report_corrupt_heap(heap, context);
        return false;
    }
    struct crash c;
    struct return_point rp;
    size_t site_frame = 0;
    capture(&c, sig, si, context);
    bool locked = lock_program();
    enum verdict v = judge_crash(&c, locked, &site_frame);
    const char *why = !rollback_enabled ? ""
                      : locked          ? "not in code the last reload brought, no rollback"
                                        : "the session stayed busy, no rollback";
    char in_library[200];
    if (v == ROLL_BACK && fault_in_library(&c, in_library, sizeof in_library)) {
        v = REPORT;
        why = in_library;
    }
    if (v == ROLL_BACK && !guard &&
        !return_point_of(&c, site_frame, &rp, abandoned_outcome, sizeof abandoned_outcome)) {
        v = REPORT;
        why = "no caller outside the new code to return to, no rollback";
    }
    if (v == REPORT)
        report_from_handler(&c, why);
    if (locked)
        pthread_mutex_unlock(&program->lock);
    if (v == ROLL_BACK && guard) {
        *guard_crash = c;
        siglongjmp(*guard, 1);
    }
    if (v == ROLL_BACK) {
        abandoned = c;
        resume_at(context, &rp);
        return true;
    }
    return false;
}

/* ---- hotld_protect --------------------------------------------------- */

/* Out of the crashed frames: report, roll back. The report comes first,
 * while the crashed code is still the current version and is named as
 * such. */
static void recover(const struct crash *c, const char *outcome)
{
    char *summary = NULL;
    pthread_mutex_lock(&program->lock);
    report(c, outcome);
    clear_error();
    pointers_program_frames_above((uintptr_t)__builtin_frame_address(0)); /* this thread's */
    int rc = program->roll_back ? program->roll_back(program, &summary) : reload_rollback(program, &summary);
    pointers_program_frames_above(0);
    pthread_mutex_unlock(&program->lock);
    if (rc >= 0) {
        fprintf(stderr, "%s\n", summary);
        xfree(summary);
        return;
    }
    fprintf(stderr, "hotld: error: rollback failed: %s\n", last_error());
    signals_kernel_default(c->signal);
    raise(c->signal);
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
    recover(&c, "rolling back to the previous version");
    return c.signal;
}

void crash_init(struct program *pg, bool rollback)
{
    abort_msg = dlvsym(RTLD_DEFAULT, "__abort_msg", "GLIBC_PRIVATE");
    static char alt_stack[ALT_STACK_SIZE]; /* the main thread's, for a stack overflow */
    program = pg;
    rollback_enabled = rollback;
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    sigaltstack(&ss, NULL);
    for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
        signals_take(fatal_signals[i], on_fatal, SIGNALS_FATAL_FLAGS, NULL);
    crash_define(pg);
}

void crash_define(struct program *pg)
{
    strmap_slot(&pg->host, "__hotld_protect")->value = (void *)protect;
}
