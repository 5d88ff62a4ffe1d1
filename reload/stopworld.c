#include "stopworld.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

#include "util.h"

#define PARK_SIGNAL (SIGRTMIN + 6)


static struct parked slots[WORLD_MAX_THREADS];
/* world_backtraces: 1 asks slot i's thread to unwind itself, 2 says done */
static atomic_int unwind_state[WORLD_MAX_THREADS];
static atomic_uint nparked;
static atomic_uint release_gen;
static atomic_bool stopping;
static _Atomic pid_t exempt[8];
static atomic_size_t nexempt;
static pid_t signalled[WORLD_MAX_THREADS];
static size_t nsignalled;

static long futex(atomic_uint *addr, int op, unsigned val)
{
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static _Unwind_Reason_Code note_frame(struct _Unwind_Context *ctx, void *arg)
{
    struct parked *p = arg;
    if (p->nframes == WORLD_MAX_FRAMES)
        return _URC_END_OF_STACK;
    p->frames[p->nframes++] = _Unwind_GetIP(ctx);
    return _URC_NO_REASON;
}

void world_backtrace_self(struct parked *p)
{
    p->nframes = 0;
    _Unwind_Backtrace(note_frame, p);
}

/* In a parked thread, asked to: its own backtrace, through the signal
 * frame into the code it was running. */
static void unwind_if_asked(unsigned i)
{
    if (i >= WORLD_MAX_THREADS || atomic_load(&unwind_state[i]) != 1)
        return;
    world_backtrace_self(&slots[i]);
    atomic_store(&unwind_state[i], 2);
}

/* Runs in the parked thread: record where it was, then sleep on a futex
 * until the generation changes, unwinding its stack if asked to. Only
 * async-signal-safe calls (and the unwinder, when nobody holds its
 * locks: see world_backtraces). */
static void park(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    int saved = errno;
    unsigned gen = atomic_load(&release_gen);
    if (!atomic_load(&stopping))
        return; /* a late signal from a stop that is over */
    ucontext_t *uc = context;
    unsigned i = atomic_fetch_add(&nparked, 1);
    if (i < WORLD_MAX_THREADS)
        slots[i] = (struct parked){(pid_t)syscall(SYS_gettid), (uintptr_t)uc->uc_mcontext.gregs[REG_RIP],
                                   thread_pointer(), {0}, 0};
    while (atomic_load(&release_gen) == gen) {
        futex(&release_gen, FUTEX_WAIT_PRIVATE, gen);
        unwind_if_asked(i);
    }
    errno = saved;
}

void world_init(void)
{
    struct sigaction sa = {.sa_sigaction = park, .sa_flags = SA_SIGINFO | SA_RESTART};
    sigfillset(&sa.sa_mask);
    sigaction(PARK_SIGNAL, &sa, NULL);
}

/* Called by hotld's threads as they start, possibly at the same time. */
void world_exempt(pid_t tid)
{
    size_t i = atomic_fetch_add(&nexempt, 1);
    if (i < ARRAY_SIZE(exempt))
        atomic_store(&exempt[i], tid);
}

void world_visit_begin(struct world_visit *v)
{
    pid_t self = (pid_t)syscall(SYS_gettid);
    size_t n = atomic_load(&nexempt);
    sigset_t park;
    v->slot = (size_t)-1;
    for (size_t i = 0; i < n && i < ARRAY_SIZE(exempt); i++)
        if (atomic_load(&exempt[i]) == self) {
            atomic_store(&exempt[i], 0); /* no thread's id */
            v->slot = i;
        }
    sigemptyset(&park);
    sigaddset(&park, PARK_SIGNAL);
    pthread_sigmask(SIG_UNBLOCK, &park, &v->mask);
}

void world_visit_end(const struct world_visit *v)
{
    if (v->slot != (size_t)-1)
        atomic_store(&exempt[v->slot], (pid_t)syscall(SYS_gettid));
    pthread_sigmask(SIG_SETMASK, &v->mask, NULL);
}

static bool is_exempt(pid_t tid)
{
    size_t n = atomic_load(&nexempt);
    for (size_t i = 0; i < n && i < ARRAY_SIZE(exempt); i++)
        if (atomic_load(&exempt[i]) == tid)
            return true;
    return tid == (pid_t)syscall(SYS_gettid);
}

static bool was_signalled(pid_t tid)
{
    for (size_t i = 0; i < nsignalled; i++)
        if (signalled[i] == tid)
            return true;
    return false;
}

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Signal a thread unless done already; 1 if it is newly signalled. */
static size_t signal_thread(pid_t tid)
{
    if (tid <= 0 || is_exempt(tid) || was_signalled(tid) || nsignalled == WORLD_MAX_THREADS ||
        syscall(SYS_tgkill, getpid(), tid, PARK_SIGNAL) != 0)
        return 0;
    signalled[nsignalled++] = tid;
    return 1;
}

/* Signal every thread not yet signalled; returns how many are new. The
 * task directory is read with getdents64 into a stack buffer: opendir
 * would call malloc, whose lock a parked thread may hold (fork() takes
 * every arena's). */
static size_t signal_threads(void)
{
    int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    size_t fresh = 0;
    char buf[4096];
    long n;
    while (fd >= 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
        for (long off = 0; off < n;) {
            const struct linux_dirent64 *d = (const void *)(buf + off);
            fresh += signal_thread((pid_t)atoi(d->d_name));
            off += d->d_reclen;
        }
    if (fd >= 0)
        close(fd);
    return fresh;
}

static bool thread_alive(pid_t tid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d", tid);
    return access(path, F_OK) == 0;
}

static int report_stragglers(int timeout_ms)
{
    char names[512] = "";
    for (size_t i = 0; i < nsignalled; i++) {
        bool parked = false;
        for (unsigned j = 0; j < atomic_load(&nparked) && j < WORLD_MAX_THREADS; j++)
            parked |= slots[j].tid == signalled[i];
        if (parked || !thread_alive(signalled[i]))
            continue;
        char comm[64] = "?", path[64];
        snprintf(path, sizeof path, "/proc/self/task/%d/comm", signalled[i]);
        FILE *f = fopen(path, "r");
        if (f && fgets(comm, sizeof comm, f))
            comm[strcspn(comm, "\n")] = 0;
        if (f)
            fclose(f);
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%d (%s)", len ? ", " : "", signalled[i], comm);
    }
    return fail("thread %s did not reach a safe point within %d ms (--reload-timeout); "
                "is the signal blocked, or hotld_poll() not called?", names, timeout_ms);
}

/* Threads that exited after being signalled will never park. */
static unsigned live_signalled(void)
{
    unsigned n = 0;
    for (size_t i = 0; i < nsignalled; i++)
        n += thread_alive(signalled[i]);
    return n;
}

int world_stop(int wait_ms, int timeout_ms)
{
    nsignalled = 0;
    atomic_store(&nparked, 0);
    atomic_store(&stopping, true);
    double deadline = now_ms() + wait_ms;
    for (;;) {
        size_t fresh = signal_threads();
        if (!fresh && atomic_load(&nparked) >= live_signalled())
            return 0;
        if (now_ms() > deadline) {
            world_resume(); /* first: naming the stragglers allocates */
            return report_stragglers(timeout_ms);
        }
        if (!fresh)
            usleep(20);
    }
}

int world_backtraces(int wait_ms)
{
    size_t n;
    world_parked(&n);
    for (size_t i = 0; i < n; i++)
        atomic_store(&unwind_state[i], 1);
    futex(&release_gen, FUTEX_WAKE_PRIVATE, 0x7fffffff); /* release_gen unchanged */
    double deadline = now_ms() + wait_ms;
    for (size_t i = 0; i < n; i++)
        while (atomic_load(&unwind_state[i]) != 2) {
            if (now_ms() > deadline)
                return -1; /* not an error yet: the caller tries again */
            usleep(20);
        }
    for (size_t i = 0; i < n; i++)
        atomic_store(&unwind_state[i], 0);
    return 0;
}

const struct parked *world_parked(size_t *n)
{
    unsigned count = atomic_load(&nparked);
    *n = count < WORLD_MAX_THREADS ? count : WORLD_MAX_THREADS;
    return slots;
}

void world_resume(void)
{
    atomic_store(&stopping, false);
    atomic_fetch_add(&release_gen, 1);
    futex(&release_gen, FUTEX_WAKE_PRIVATE, 0x7fffffff);
}
