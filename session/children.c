/* Processes forked from the program. A child inherits the image but not
 * hotld's control thread, so nothing in it answers a reload: it keeps
 * running the code it had. Until every process takes part in a reload,
 * that must never be silent: each child notes its pid, from an at-fork
 * handler, in a table the processes share (an anonymous shared mapping
 * made before the program runs, inherited by children and grandchildren);
 * reload reports and --status name the ones still running the image. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "procmaps.h"
#include "session.h"
#include "util.h"

#define MAX_CHILDREN 1021

struct child_table {
    atomic_uint n;
    pid_t pid[MAX_CHILDREN];
};

static struct child_table *table;
static char own_exe[4096];

static void note_child(void)
{
    if (!table)
        return;
    unsigned i = atomic_fetch_add(&table->n, 1);
    if (i < MAX_CHILDREN)
        table->pid[i] = getpid();
}

void children_init(void)
{
    void *p = mmap(NULL, sizeof *table, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return; /* then children are not told, and reports say nothing of them */
    table = p;
    ssize_t n = readlink("/proc/self/exe", own_exe, sizeof own_exe - 1);
    own_exe[n > 0 ? n : 0] = 0;
    pthread_atfork(NULL, NULL, note_child);
}

/* Does pid still run this image: alive, not a zombie, and not exec'd
 * into another program? */
static bool runs_the_image(pid_t pid)
{
    char path[64], exe[4096], stat[512];
    if (pid == getpid() || kill(pid, 0) != 0)
        return false;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    const char *state = proc_read(path, stat, sizeof stat) ? strrchr(stat, ')') : NULL;
    if (!state || state[1] != ' ' || state[2] == 'Z' || state[2] == 'X')
        return false;
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    ssize_t n = readlink(path, exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = 0;
    return !strcmp(exe, own_exe);
}

/* "4102, 4103" of the children still running the image; 0 if none. */
size_t children_running(struct strbuf *pids)
{
    size_t found = 0;
    unsigned n = table ? atomic_load(&table->n) : 0;
    for (unsigned i = 0; i < n && i < MAX_CHILDREN; i++)
        if (table->pid[i] && runs_the_image(table->pid[i]))
            sb_printf(pids, "%s%d", found++ ? ", " : "", (int)table->pid[i]);
    return found;
}

char *children_reload_warning(void)
{
    struct strbuf pids = {0};
    size_t n = children_running(&pids);
    char *w = n ? xasprintf("hotld: warning: %zu process%s forked from the program (%s) still run%s its "
                            "earlier code: a reload reaches only the first process (pid %d)",
                            n, n == 1 ? "" : "es", pids.s, n == 1 ? "s" : "", (int)getpid())
                : NULL;
    xfree(pids.s);
    return w;
}
