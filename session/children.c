/* Processes forked from the program. A child inherits the image, and a
 * copy of hotld's state, but not hotld's threads: nothing in it would
 * answer a reload. So every fork registers the child before fork()
 * returns in it (pthread_atfork):
 *   - prepare, in the forking thread: take the program's lock, so that no
 *     reload is half done in the copy, and forks are one at a time; wait
 *     until hotld's threads hold no lock the child could need
 *     (forkgate.c); take the next slot of a table the processes share (an
 *     anonymous shared mapping made before the program runs, inherited by
 *     children and grandchildren);
 *   - child: listen on a control socket of its own, SOCKET.PID, start the
 *     thread that serves it (follower.c), write the pid into the slot;
 *   - parent: give the lock back.
 * A reload then reaches every process in the table that still runs the
 * image (processes.c). A slot still 0 is a child being registered, or a
 * fork that failed; one that is negative could not listen. Slots of
 * processes that are gone (exited, or exec'd another program) are taken
 * back when a reload or --status looks at them, and used again. */
#include <dirent.h>
#include <errno.h>
#include <linux/kcmp.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "control.h"
#include "forkgate.h"
#include "procmaps.h"
#include "session.h"
#include "stopworld.h"
#include "strbuf.h"
#include "util.h"

#define MAX_CHILDREN 16381

#define FREE INT32_MIN

struct child_table {
    atomic_uint n;                /* slots ever used */
    atomic_uint unreached;        /* children that found no free slot */
    atomic_int pid[MAX_CHILDREN]; /* 0: not yet; -pid: could not listen */
};

static struct child_table *table;
static pid_t this_process;      /* once it runs the program */
static int forking_slot = -1;   /* the fork under way, in this process */
static bool lock_held;          /* by the prepare handler */
static __thread bool reloading; /* this thread applies a reload */

void children_reloading(bool on)
{
    reloading = on;
}

/* A free slot, or a new one; -1 if there is none. */
static int take_slot(void)
{
    unsigned n = atomic_load(&table->n);
    for (unsigned i = 0; i < n && i < MAX_CHILDREN; i++) {
        int free_mark = FREE;
        if (atomic_compare_exchange_strong(&table->pid[i], &free_mark, 0))
            return (int)i;
    }
    unsigned slot = atomic_fetch_add(&table->n, 1);
    return slot < MAX_CHILDREN ? (int)slot : -1;
}

/* A fork from a thread that applies a reload (an added object's
 * constructor) already holds the lock. */
static void before_fork(void)
{
    lock_held = !reloading;
    if (lock_held)
        pthread_mutex_lock(&the_session.program.lock);
    forkgate_close();
    forking_slot = take_slot();
}

static void after_fork_in_parent(void)
{
    forking_slot = -1;
    forkgate_open();
    if (lock_held)
        pthread_mutex_unlock(&the_session.program.lock);
}

static void after_fork_in_child(void)
{
    int slot = forking_slot;
    forking_slot = -1;
    forkgate_reset_in_child();
    pid_t self = getpid();
    this_process = self;
    for (size_t g = 0; g < the_session.program.ngens; g++)
        link_forget_dwarf(the_session.program.gens[g]);
    int listening = follower_start(); /* before the slot says it is there */
    int unset = 0;
    if (slot >= 0 && !atomic_compare_exchange_strong(&table->pid[slot], &unset, listening < 0 ? -self : self))
        slot = take_slot(); /* given up on as a failed fork: take another */
    if (slot >= 0) {
        atomic_store(&table->pid[slot], listening < 0 ? -self : self);
        syscall(SYS_futex, &table->pid[slot], FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
    } else {
        atomic_fetch_add(&table->unreached, 1);
    }
    if (lock_held)
        pthread_mutex_unlock(&the_session.program.lock);
}

void children_init(void)
{
    this_process = getpid();
    void *p = mmap(NULL, sizeof *table, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return; /* then no child is reached, and reports say so (processes.c) */
    table = p;
    pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

/* Not before the program runs (hotld restarting itself), nor in a vfork
 * child (it shares its parent's lock, which an exec would leave held; no
 * stop signals it, since it is not one of the parent's threads). */
bool children_exec_begin(void)
{
    if (!this_process || getpid() != this_process)
        return false;
    bool take = !reloading;
    if (take)
        pthread_mutex_lock(&the_session.program.lock);
    world_drop_pending();
    return take;
}

void children_exec_failed(bool held)
{
    if (held)
        pthread_mutex_unlock(&the_session.program.lock);
}

/* The table's mapping, as /proc/PID/maps shows it: "START-END ... INODE". */
struct table_search {
    char start[32];             /* "7f12...-" */
    unsigned long inode;
    bool found;
};

static void find_table(const char *text, void *ctx)
{
    struct table_search *q = ctx;
    unsigned long inode;
    if (!q->found && !strncmp(text, q->start, strlen(q->start)) &&
        sscanf(text, "%*s %*s %*s %*s %lu", &inode) == 1 && (!q->inode || inode == q->inode))
        q->found = true, q->inode = inode;
}

static unsigned long table_inode(pid_t pid)
{
    struct table_search q = {{0}, 0, false};
    snprintf(q.start, sizeof q.start, "%lx-", (unsigned long)(uintptr_t)table);
    procmaps_each_line_of(pid, find_table, &q);
    return q.found ? q.inode : 0;
}

/* Does pid still run this image? It shares the table's mapping, which
 * only the processes forked from this one have: not one that has exited,
 * nor one that exec'd a program (hotld again, say). */
bool children_runs_the_image(pid_t pid)
{
    static unsigned long own;
    if (!own)
        own = table_inode(0);
    char path[64], stat[512];
    if (pid == getpid() || kill(pid, 0) != 0)
        return false;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    const char *state = proc_read(path, stat, sizeof stat) ? strrchr(stat, ')') : NULL;
    if (!state || state[1] != ' ' || state[2] == 'Z' || state[2] == 'X')
        return false;
    struct table_search q = {{0}, own, false};
    snprintf(q.start, sizeof q.start, "%lx-", (unsigned long)(uintptr_t)table);
    procmaps_each_line_of(pid, find_table, &q);
    return own && q.found;
}

/* The slot's pid once the child has written it, waiting up to a second
 * for a child being registered; a slot still empty then was a fork that
 * failed, and is freed. */
static int registered(unsigned slot)
{
    struct timespec step = {0, 10 * 1000 * 1000};
    for (int i = 0; i < 100; i++) {
        int pid = atomic_load(&table->pid[slot]);
        if (pid)
            return pid;
        forkgate_wait_begin();
        syscall(SYS_futex, &table->pid[slot], FUTEX_WAIT, 0, &step, NULL, 0);
        forkgate_wait_end();
    }
    int empty = 0;
    atomic_compare_exchange_strong(&table->pid[slot], &empty, FREE);
    return atomic_load(&table->pid[slot]);
}

size_t children_each(void (*fn)(pid_t pid, bool listening, void *ctx), void *ctx)
{
    size_t found = 0;
    unsigned n = table ? atomic_load(&table->n) : 0;
    for (unsigned i = 0; i < n && i < MAX_CHILDREN; i++) {
        int pid = registered(i);
        if (pid == FREE)
            continue;
        if (children_runs_the_image(pid < 0 ? -pid : pid)) {
            fn(pid < 0 ? -pid : pid, pid > 0, ctx);
            found++;
        } else if (atomic_compare_exchange_strong(&table->pid[i], &pid, FREE)) { /* gone */
            char *path = child_socket_path(pid < 0 ? -pid : pid);
            if (path)
                unlink(path); /* one that dropped its privileges could not */
            xfree(path);
        }
    }
    return found;
}

unsigned children_unreached(void)
{
    return table ? atomic_load(&table->unreached) : 0;
}

static bool is_registered(pid_t pid)
{
    unsigned n = atomic_load(&table->n);
    for (unsigned i = 0; i < n && i < MAX_CHILDREN; i++) {
        int p = registered(i); /* one being registered counts */
        if (p == pid || p == -pid)
            return true;
    }
    return false;
}

/* Does pid share this process's memory (vfork, posix_spawn before its
 * exec)? Then it runs what this process runs. */
static bool shares_memory(pid_t pid)
{
    return syscall(SYS_kcmp, getpid(), pid, KCMP_VM, 0, 0) == 0;
}

/* pid's children, as its threads' /proc files list them, each to fn. */
static void each_child_of(pid_t pid, void (*fn)(pid_t child, struct strbuf *out), struct strbuf *out)
{
    char path[64], list[4096];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *tasks = opendir(path);
    for (struct dirent *t; tasks && (t = readdir(tasks));) {
        snprintf(path, sizeof path, "/proc/%d/task/%.20s/children", (int)pid, t->d_name);
        if (t->d_name[0] == '.' || !proc_read(path, list, sizeof list))
            continue;
        for (char *p = list, *end; (pid_t)strtol(p, &end, 10) > 0; p = end)
            fn((pid_t)strtol(p, NULL, 10), out);
    }
    if (tasks)
        closedir(tasks);
}

static void look_at_descendant(pid_t pid, struct strbuf *out)
{
    if (!shares_memory(pid) && children_runs_the_image(pid) && !is_registered(pid))
        sb_printf(out, "%s%d", out->s ? ", " : "", (int)pid);
    each_child_of(pid, look_at_descendant, out);
}

char *children_unregistered(void)
{
    struct strbuf out = {0};
    if (table)
        each_child_of(getpid(), look_at_descendant, &out);
    return out.s;
}

char *child_socket_path(pid_t pid)
{
    const char *path = session_socket_path();
    return path ? xasprintf("%s.%d", path, (int)pid) : NULL;
}
