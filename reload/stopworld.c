/* Stop the world: every program thread is sent a queued real-time signal
 * that carries this stop's number and the thread's own slot. Its handler
 * writes the slot (where the thread was), marks it with the stop's number,
 * and sleeps on a futex until released. The set of parked threads is the
 * set of slots so marked: a thread is never counted twice, and a signal
 * left over from an earlier stop parks nobody.
 *
 * A thread that blocks the signal (library threads often block them all:
 * Mesa's, audio clients', thread pools') never runs the handler. Such a
 * thread is looked at from outside instead: once the kernel shows it
 * blocked in a system call (/proc/self/task/TID/syscall gives its pc and
 * stack pointer), it runs nothing until woken, and nothing parked can wake
 * it. It is then treated like a parked thread whose frames are its stack's
 * words, and the commit checks afterwards that it stayed asleep. One that
 * keeps running is waited for, up to --reload-timeout, and then named.
 *
 * While the world is stopped nothing here allocates: a parked thread may
 * hold a malloc lock (fork() holds them all). The arrays are sized before
 * the signals go out, and a stop that finds more threads than they hold
 * releases everyone, grows them, and starts again. */
#include "stopworld.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

#include "background.h"
#include "procmaps.h"
#include "signals.h"
#include "util.h"

#define PARK_SIGNAL (SIGRTMIN + 6)
#define LOOK_EVERY_MS 1.0       /* how often unparked threads are looked at */

/* Per signalled thread k (the slot its signal names). Arrays replaced by
 * larger ones are never freed: a handler of a stop that timed out may
 * still be about to write into them. */
static struct parked *slots;
static struct parked *packed;          /* world_parked's copy */
static _Atomic unsigned *parked_in;    /* the stop in which slot k parked */
static atomic_int *unwind_state;       /* 1: asked to unwind, 2: done */
static pid_t *signalled;
static uint8_t *outcome;               /* slot k's thread: SEEN_* */
static uint64_t *signalled_bits;       /* by tid: signalled in this stop */
static size_t nbits;
static uintptr_t *tps;
static struct asleep *sleepers;
static size_t cap, nsignalled, nasleep;
static bool overflow;                  /* more threads than slots */

/* What became of a signalled thread that did not park. */
enum { SEEN_NOTHING, SEEN_ASLEEP, SEEN_GONE };

static atomic_uint release_gen;
/* Bumped by each release and each request to unwind: a parked thread
 * sleeps on it, reading it before it looks at either, so that a request
 * made just before it sleeps is not missed. */
static atomic_uint wakes;
static _Atomic unsigned stop_id;
static atomic_bool stopping;
static _Atomic pid_t exempt[MAX_HOTLD_THREADS]; /* 0: a free slot */
/* Threads inside park(). A thread released by one stop runs the end of
 * the handler with every signal blocked: the next stop must not take it
 * for a thread that blocks the signal, asleep, nor resize the slots it
 * still writes. */
static atomic_int in_park;
/* Counts the threads as they park: the stopping thread sleeps on it
 * rather than polling, since a sleep of its own costs at least the
 * timer slack (50 us) each turn. */
static atomic_uint parks;

static long futex(atomic_uint *addr, int op, unsigned val)
{
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static void wake_parked(void)
{
    atomic_fetch_add(&wakes, 1);
    futex(&wakes, FUTEX_WAKE_PRIVATE, 0x7fffffff);
}

/* Until a thread parks after parks read seen, or a quarter of the time
 * between looks at the threads that do not. */
static void wait_for_parks(unsigned seen)
{
    struct timespec most = {0, (long)(LOOK_EVERY_MS * 1e6 / 4)};
    syscall(SYS_futex, &parks, FUTEX_WAIT_PRIVATE, seen, &most, NULL, 0);
}

static void *grown(void *old, size_t n, size_t size)
{
    (void)old; /* left as it is: see above */
    return xcalloc(n, size);
}

/* Before a stop (nothing parked): room for n threads. */
static void ensure_capacity(size_t n)
{
    if (n <= cap)
        return;
    size_t c = cap ? cap : 64;
    while (c < n)
        c *= 2;
    slots = grown(slots, c, sizeof *slots);
    packed = grown(packed, c, sizeof *packed);
    parked_in = grown(parked_in, c, sizeof *parked_in);
    unwind_state = grown(unwind_state, c, sizeof *unwind_state);
    signalled = grown(signalled, c, sizeof *signalled);
    outcome = grown(outcome, c, sizeof *outcome);
    tps = grown(tps, c + 1, sizeof *tps);
    sleepers = grown(sleepers, c, sizeof *sleepers);
    cap = c;
}

static _Thread_local bool no_program_code;

static _Unwind_Reason_Code note_frame(struct _Unwind_Context *ctx, void *arg)
{
    struct parked *p = arg;
    if (p->nframes == WORLD_MAX_FRAMES)
        return _URC_END_OF_STACK;
    p->cfas[p->nframes] = _Unwind_GetCFA(ctx);
    p->frames[p->nframes++] = _Unwind_GetIP(ctx);
    return _URC_NO_REASON;
}

void world_backtrace_self(struct parked *p)
{
    p->nframes = 0;
    if (!no_program_code) /* unwinding walks every generation's frame tables */
        _Unwind_Backtrace(note_frame, p);
}

/* In a parked thread, asked to: its own backtrace, through the signal
 * frame into the code it was running. */
static void unwind_if_asked(size_t k)
{
    if (atomic_load(&unwind_state[k]) != 1)
        return;
    world_backtrace_self(&slots[k]);
    atomic_store(&unwind_state[k], 2);
}

/* The signal's value: the stop's number and the thread's slot. */
static void *park_value(unsigned id, size_t k)
{
    return (void *)(((uintptr_t)id << 32) | (uint32_t)k);
}

/* Runs in the parked thread: record where it was, then sleep on a futex
 * until the generation changes, unwinding its stack if asked to. Only
 * async-signal-safe calls (and the unwinder, when nobody holds its
 * locks: see world_backtraces). */
static bool park(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    int saved = errno;
    unsigned gen = atomic_load(&release_gen);
    uintptr_t v = (uintptr_t)info->si_value.sival_ptr;
    unsigned id = (unsigned)(v >> 32);
    size_t k = (uint32_t)v;
    if (info->si_code != SI_QUEUE || info->si_pid != getpid())
        return false; /* not hotld's: the program's own action runs */
    if (!atomic_load(&stopping) || id != atomic_load(&stop_id) || k >= cap)
        return true; /* from a stop that is over */
    atomic_fetch_add(&in_park, 1);
    const ucontext_t *uc = context;
    slots[k] = (struct parked){.tid = (pid_t)syscall(SYS_gettid), .ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP],
                               .sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP], .tp = thread_pointer()};
    atomic_store_explicit(&parked_in[k], id, memory_order_release);
    atomic_fetch_add(&parks, 1);
    futex(&parks, FUTEX_WAKE_PRIVATE, 1);
    for (;;) {
        unsigned seen = atomic_load(&wakes);
        unwind_if_asked(k);
        if (atomic_load(&release_gen) != gen)
            break;
        futex(&wakes, FUTEX_WAIT_PRIVATE, seen);
    }
    errno = saved;
    atomic_fetch_sub(&in_park, 1);
    return true;
}

void world_init(void)
{
    sigset_t all; /* nothing of the program runs in a parked thread */
    sigfillset(&all);
    signals_take(PARK_SIGNAL, park, SA_RESTART, &all);
    char max[32] = "";
    int fd = open("/proc/sys/kernel/pid_max", O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && read(fd, max, sizeof max - 1) > 0)
        nbits = strtoul(max, NULL, 10);
    if (fd >= 0)
        close(fd);
    nbits = nbits ? nbits : 1u << 22; /* the largest pid_max */
    signalled_bits = xcalloc(nbits / 64 + 1, sizeof *signalled_bits);
    syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
}

void world_sync_cores(void)
{
    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
}

void world_drop_pending(void)
{
    sigset_t park, was;
    sigemptyset(&park);
    sigaddset(&park, PARK_SIGNAL);
    pthread_sigmask(SIG_BLOCK, &park, &was);
    struct timespec now = {0, 0};
    while (sigtimedwait(&park, NULL, &now) == PARK_SIGNAL)
        continue;
    pthread_sigmask(SIG_SETMASK, &was, NULL);
}

/* Called by hotld's threads as they start, possibly at the same time. */
void world_exempt(pid_t tid)
{
    for (size_t i = 0; i < ARRAY_SIZE(exempt); i++) {
        pid_t none = 0;
        if (atomic_compare_exchange_strong(&exempt[i], &none, tid))
            return;
    }
}

void world_unexempt(pid_t tid)
{
    for (size_t i = 0; i < ARRAY_SIZE(exempt); i++) {
        pid_t was = tid;
        atomic_compare_exchange_strong(&exempt[i], &was, 0);
    }
}

void world_visit_begin(struct world_visit *v)
{
    pid_t self = (pid_t)syscall(SYS_gettid);
    sigset_t park_set;
    v->exempt = false;
    for (size_t i = 0; i < ARRAY_SIZE(exempt); i++)
        if (atomic_load(&exempt[i]) == self)
            v->exempt = true;
    world_unexempt(self);
    sigemptyset(&park_set);
    sigaddset(&park_set, PARK_SIGNAL);
    pthread_sigmask(SIG_UNBLOCK, &park_set, &v->mask);
}

void world_visit_end(const struct world_visit *v)
{
    if (v->exempt)
        world_exempt((pid_t)syscall(SYS_gettid));
    pthread_sigmask(SIG_SETMASK, &v->mask, NULL);
}

void world_runs_no_program_code(void)
{
    no_program_code = true;
}

static bool is_exempt(pid_t tid)
{
    for (size_t i = 0; i < ARRAY_SIZE(exempt); i++)
        if (atomic_load(&exempt[i]) == tid)
            return true;
    return tid == (pid_t)syscall(SYS_gettid);
}

static bool was_signalled(pid_t tid)
{
    return (size_t)tid < nbits && signalled_bits[tid / 64] >> (tid % 64) & 1;
}

/* A new stop: no thread signalled yet. */
static void forget_signalled(void)
{
    for (size_t k = 0; k < nsignalled; k++)
        if ((size_t)signalled[k] < nbits)
            signalled_bits[signalled[k] / 64] &= ~(1ull << (signalled[k] % 64));
    nsignalled = nasleep = 0;
}

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Signal a thread unless done already; 1 if it is newly signalled. */
static size_t signal_thread(pid_t tid, unsigned id)
{
    if (tid <= 0 || is_exempt(tid) || was_signalled(tid))
        return 0;
    if (nsignalled == cap) {
        overflow = true;
        return 0;
    }
    siginfo_t si = {.si_signo = PARK_SIGNAL, .si_code = SI_QUEUE, .si_pid = getpid(), .si_uid = getuid()};
    si.si_value.sival_ptr = park_value(id, nsignalled);
    atomic_store(&parked_in[nsignalled], 0);
    atomic_store(&unwind_state[nsignalled], 0);
    outcome[nsignalled] = SEEN_NOTHING;
    if (syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, PARK_SIGNAL, &si) != 0)
        return 0; /* it exited */
    if ((size_t)tid < nbits)
        signalled_bits[tid / 64] |= 1ull << (tid % 64);
    signalled[nsignalled++] = tid;
    return 1;
}

/* Signal every thread not yet signalled; returns how many are new. The
 * task directory is read with getdents64 into a stack buffer: opendir
 * would call malloc. */
static size_t signal_threads(unsigned id)
{
    int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    size_t fresh = 0;
    char buf[4096];
    long n;
    while (fd >= 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
        for (long off = 0; off < n;) {
            const struct linux_dirent64 *d = (const void *)(buf + off);
            fresh += signal_thread((pid_t)atoi(d->d_name), id);
            off += d->d_reclen;
        }
    if (fd >= 0)
        close(fd);
    return fresh;
}

/* The contents of /proc/self/task/TID/NAME into buf (NUL-terminated);
 * false if the thread is gone. */
static bool thread_alive(pid_t tid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", (int)tid);
    return access(path, F_OK) == 0;
}

/* The number after "key:" in a status file's text; 0 if absent. */
static unsigned long status_field(const char *status, const char *key, int base)
{
    const char *at = strstr(status, key);
    return at ? strtoul(at + strlen(key), NULL, base) : 0;
}

/* Does the thread block the park signal? And its context switches. It
 * does if the signal sent to it stays pending, blocked. A thread that is
 * inside the handler blocks every signal too, but has taken the signal:
 * it is parking, not blocking it (and it may be caught in a system call
 * there, gettid's, looking asleep). */
static bool blocks_signal(pid_t tid, unsigned long *switches)
{
    char status[2048];
    if (!proc_task_file(tid, "status", status, sizeof status))
        return false;
    *switches = status_field(status, "\nvoluntary_ctxt_switches:", 10) +
                status_field(status, "\nnonvoluntary_ctxt_switches:", 10);
    unsigned long bit = 1ul << (PARK_SIGNAL - 1);
    return status_field(status, "\nSigBlk:", 16) & status_field(status, "\nSigPnd:", 16) & bit;
}

/* Is the thread blocked in a system call, and where? The syscall file
 * says "running" of a thread on a CPU or ready for one, else "NR args...
 * SP PC", or "-1 SP PC" for one stopped outside a system call (waiting
 * for a page fault, say), which goes on by itself: that is no sleep. */
static bool kernel_holds(pid_t tid, struct asleep *out)
{
    if (!proc_task_in_syscall(tid, out->state, sizeof out->state))
        return false;
    char *pc = strrchr(out->state, ' '), *sp;
    if (!pc)
        return false;
    *pc = 0;
    sp = strrchr(out->state, ' ');
    *pc = ' ';
    if (!sp)
        return false;
    out->sp = strtoul(sp + 1, NULL, 16);
    out->pc = strtoul(pc + 1, NULL, 16);
    out->tid = tid;
    return true;
}

static bool is_parked(size_t k, unsigned id)
{
    return atomic_load_explicit(&parked_in[k], memory_order_acquire) == id;
}

/* Slot k's thread has not parked: if it blocks the signal and the kernel
 * holds it, it joins the sleepers; if it exited, it is gone. */
static void look_at(size_t k)
{
    unsigned long switches;
    struct asleep a;
    if (!thread_alive(signalled[k]))
        outcome[k] = SEEN_GONE;
    else if (blocks_signal(signalled[k], &switches) && kernel_holds(signalled[k], &a)) {
        a.switches = switches;
        sleepers[nasleep++] = a;
        outcome[k] = SEEN_ASLEEP;
    }
}

/* How many signalled threads are neither parked, asleep nor gone. The
 * ones that did not park are looked at only now and then: that reads
 * their files. */
static size_t unsettled(unsigned id, bool look)
{
    size_t n = 0;
    for (size_t k = 0; k < nsignalled; k++) {
        if (is_parked(k, id) || outcome[k] != SEEN_NOTHING)
            continue;
        if (look)
            look_at(k);
        n += outcome[k] == SEEN_NOTHING;
    }
    return n;
}

/* After the threads are released (naming them reads files and formats). */
static int report_stragglers(unsigned id, int timeout_ms)
{
    char names[512] = "";
    bool blocking = false;
    for (size_t k = 0; k < nsignalled; k++) {
        pid_t tid = signalled[k];
        unsigned long switches;
        if (is_parked(k, id) || outcome[k] != SEEN_NOTHING || !thread_alive(tid))
            continue;
        char comm[64] = "?";
        if (proc_task_file(tid, "comm", comm, sizeof comm))
            comm[strcspn(comm, "\n")] = 0;
        bool blocks = blocks_signal(tid, &switches);
        blocking |= blocks;
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%d (%s%s)", len ? ", " : "", (int)tid, comm,
                 blocks ? ", which blocks hotld's signal" : "");
    }
    return fail("thread %s could not be stopped within %d ms (--reload-timeout): %s", names, timeout_ms,
                blocking ? "a thread that blocks hotld's signal must wait in a system call (it is "
                           "running code) for a reload to go through"
                         : "it did not take hotld's signal");
}

/* One attempt: 0 when every thread is parked, asleep or gone; -1 at the
 * deadline; -2 once the program's exit has begun (it waits for this
 * thread, base/background.c); 1 if there were more threads than slots. New threads are
 * looked for, and the threads that did not park looked at, once nothing
 * has parked for a while: with thousands of threads, reading their files
 * at every turn would keep them from running the handler. */
static int stop_once(unsigned id, double deadline)
{
    signal_threads(id);
    size_t last = SIZE_MAX;
    double since = now_ms();
    for (;;) {
        if (overflow)
            return 1;
        bool look = now_ms() - since > LOOK_EVERY_MS;
        unsigned seen = atomic_load(&parks);
        size_t left = unsettled(id, look);
        if (left == 0 && signal_threads(id) == 0 && !overflow)
            return 0;
        if (left != last || look)
            last = left, since = now_ms();
        if (now_ms() > deadline)
            return -1;
        if (exit_begun())
            return -2;
        if (left)
            wait_for_parks(seen);
    }
}

/* How many threads the process has now. */
static size_t thread_count(void)
{
    char status[4096];
    if (!proc_task_file((pid_t)syscall(SYS_gettid), "status", status, sizeof status))
        return 0;
    return status_field(status, "\nThreads:", 10); /* the process's, in each task's file */
}

/* The threads the last stop released have left the handler. */
static int previous_stop_left(double deadline, int timeout_ms)
{
    while (atomic_load(&in_park) > 0) {
        if (now_ms() > deadline)
            return fail("%d threads released by the previous stop did not leave hotld's signal handler "
                        "within %d ms (--reload-timeout)", atomic_load(&in_park), timeout_ms);
        sched_yield();
    }
    return 0;
}

int world_stop(int wait_ms, int timeout_ms)
{
    double deadline = now_ms() + wait_ms;
    if (previous_stop_left(deadline, timeout_ms) < 0)
        return -1;
    ensure_capacity(thread_count() + 64); /* room for threads born meanwhile */
    for (;;) {
        unsigned id = atomic_fetch_add(&stop_id, 1) + 1;
        forget_signalled();
        overflow = false;
        atomic_store(&stopping, true);
        int rc = stop_once(id, deadline);
        if (rc == 0)
            return 0;
        world_resume(); /* first: naming the stragglers allocates */
        if (rc == -2)
            return fail("the program is ending (its exit has begun): nothing was changed");
        if (rc < 0)
            return report_stragglers(id, timeout_ms);
        if (previous_stop_left(deadline, timeout_ms) < 0)
            return -1;
        ensure_capacity(cap * 2); /* more threads than room: start again */
    }
}

int world_backtraces(int wait_ms)
{
    unsigned id = atomic_load(&stop_id);
    for (size_t k = 0; k < nsignalled; k++)
        if (is_parked(k, id))
            atomic_store(&unwind_state[k], 1);
    wake_parked();
    double deadline = now_ms() + wait_ms;
    for (size_t k = 0; k < nsignalled; k++)
        while (is_parked(k, id) && atomic_load(&unwind_state[k]) == 1) {
            if (now_ms() > deadline)
                return -1; /* not an error yet: the caller tries again */
            usleep(20);
        }
    return 0;
}

/* The parked threads, in a copy of their slots packed to the front: a
 * slot whose thread blocks the signal or exited is left out. */
const struct parked *world_parked(size_t *n)
{
    unsigned id = atomic_load(&stop_id);
    size_t m = 0;
    for (size_t k = 0; k < nsignalled; k++)
        if (is_parked(k, id))
            packed[m++] = slots[k];
    *n = m;
    return packed;
}

const struct asleep *world_asleep(size_t *n)
{
    *n = nasleep;
    return sleepers;
}

const uintptr_t *world_thread_pointers(size_t *n)
{
    unsigned id = atomic_load(&stop_id);
    size_t m = 0;
    for (size_t k = 0; k < nsignalled; k++)
        if (is_parked(k, id))
            tps[m++] = slots[k].tp;
    tps[m++] = thread_pointer();
    *n = m;
    return tps;
}

bool world_still_asleep(void)
{
    for (size_t i = 0; i < nasleep; i++) {
        struct asleep now;
        unsigned long switches = 0;
        bool same = thread_alive(sleepers[i].tid) && blocks_signal(sleepers[i].tid, &switches) &&
                    kernel_holds(sleepers[i].tid, &now) && !strcmp(now.state, sleepers[i].state) &&
                    switches == sleepers[i].switches;
        if (!same && thread_alive(sleepers[i].tid))
            return fail("thread %d, which blocks hotld's signal, woke while the reload was committed",
                        (int)sleepers[i].tid) == 0;
    }
    return true;
}

void world_resume(void)
{
    atomic_store(&stopping, false);
    atomic_fetch_add(&release_gen, 1);
    wake_parked();
}
