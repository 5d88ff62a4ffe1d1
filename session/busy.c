/* What keeps the session from answering, for a command that waits.
 *
 * A session answers one reload at a time on its control thread, which
 * may wait long: for threads to park (--reload-timeout), for the program
 * to call hotld_poll(), for a person to answer a question about a
 * variable. A debugger may have stopped the whole process. A command that
 * has had no answer for a second says why it waits, once, and waits on.
 *
 * The session writes what it is doing to a file beside its socket
 * (SOCKET.busy: a line of text, then the time it began), which the
 * command reads; a stopped process is seen in /proc. The file stays open
 * and each state overwrites the last in place, padded to one size: a
 * reload changes it twice, and truncating a file makes ext4 flush it on
 * close, which was 7% of the session's time in a run of reloads. */
#include "forkgate.h"
#include "forksafe.h"
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "procmaps.h"
#include "util.h"

#define QUIET_MS 1000       /* of silence before the command says why */
#define MAX_DOINGS 8        /* a reload, its question, a call at hotld_poll()... */
#define BUSY_RECORD 260     /* bytes of the file: what, then since */

static pthread_mutex_t busy_lock = PTHREAD_MUTEX_INITIALIZER;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_mutex(&busy_lock);
}
static char *busy_path;
static int busy_fd = -1;
static struct doing {
    char what[200];
    double since;               /* 0: a free slot */
} doings[MAX_DOINGS];

static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* The latest thing begun that has not ended: what a waiting command is
 * waiting behind. Nothing is a record that starts with a NUL. */
static void write_state(void)
{
    const struct doing *latest = NULL;
    for (size_t i = 0; i < MAX_DOINGS; i++)
        if (doings[i].since && (!latest || doings[i].since >= latest->since))
            latest = &doings[i];
    if (busy_fd < 0) /* made when first busy: a session that never is has none */
        busy_fd = open(busy_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    char text[BUSY_RECORD] = "";
    if (latest)
        snprintf(text, sizeof text, "%s\n%.0f\n", latest->what, latest->since);
    /* a failed write leaves a waiting command's wait unexplained, no worse */
    (void)!pwrite(busy_fd, text, sizeof text, 0);
}

/* Also in a process forked from the program, for its own socket: what it
 * inherited (the descriptor, the things begun) is the first process's. */
void busy_init(const char *socket_path)
{
    if (busy_fd >= 0)
        close(busy_fd);
    busy_fd = -1;
    memset(doings, 0, sizeof doings);
    xfree(busy_path);
    busy_path = xasprintf("%s.busy", socket_path);
    unlink(busy_path);
}

void busy_remove(void)
{
    if (busy_path)
        unlink(busy_path);
    if (busy_fd >= 0)
        close(busy_fd);
    busy_fd = -1;
}

int busy_begin(const char *fmt, ...)
{
    va_list ap;
    int slot = -1;
    pthread_mutex_lock(&busy_lock);
    for (int i = 0; busy_path && i < MAX_DOINGS && slot < 0; i++)
        if (!doings[i].since)
            slot = i;
    if (slot >= 0) {
        va_start(ap, fmt);
        vsnprintf(doings[slot].what, sizeof doings[slot].what, fmt, ap);
        va_end(ap);
        doings[slot].since = wall_ms();
        write_state();
    }
    pthread_mutex_unlock(&busy_lock);
    return slot;
}

void busy_end(int slot)
{
    pthread_mutex_lock(&busy_lock);
    if (slot >= 0 && slot < MAX_DOINGS) {
        doings[slot].since = 0;
        write_state();
    }
    pthread_mutex_unlock(&busy_lock);
}

/* ---- the command's side --------------------------------------------- */

/* Is the session's process stopped (by a debugger, or SIGSTOP)? */
static bool stopped(pid_t pid, char *why, size_t size)
{
    char path[64], status[2048], *state, *tracer;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    if (!proc_read(path, status, sizeof status) || !(state = strstr(status, "\nState:\t")))
        return false;
    char s = state[8];
    if (s != 'T' && s != 't')
        return false;
    long tracer_pid = (tracer = strstr(status, "\nTracerPid:\t")) ? strtol(tracer + 12, NULL, 10) : 0;
    if (tracer_pid)
        snprintf(why, size, "its process is stopped by a debugger (pid %ld)", tracer_pid);
    else
        snprintf(why, size, "its process is stopped ('kill -CONT %d' resumes it)", (int)pid);
    return true;
}

/* What the session wrote beside its socket, with how long ago it began. */
static bool busy_with(int fd, char *why, size_t size)
{
    struct sockaddr_un peer;
    socklen_t len = sizeof peer;
    if (getpeername(fd, (struct sockaddr *)&peer, &len) < 0 || peer.sun_family != AF_UNIX || !peer.sun_path[0])
        return false;
    char path[sizeof peer.sun_path + 8], text[BUSY_RECORD + 1] = "";
    snprintf(path, sizeof path, "%.*s.busy", (int)(len - offsetof(struct sockaddr_un, sun_path)), peer.sun_path);
    int file = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = file >= 0 ? read(file, text, sizeof text - 1) : -1;
    if (file >= 0)
        close(file);
    char *end = n > 0 ? (text[n] = 0, strchr(text, '\n')) : NULL;
    if (!end)
        return false;
    *end = 0;
    snprintf(why, size, "it is %s, for %.1f s", text, (wall_ms() - strtod(end + 1, NULL)) / 1000);
    return true;
}

void await_answer(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    int n;
    double until = wall_ms() + QUIET_MS;
    do {
        int left = (int)(until - wall_ms());
        n = left > 0 ? forkgate_poll(&p, 1, left) : 0;
    } while (n < 0 && errno == EINTR);
    if (n != 0)
        return;
    struct ucred cred;
    socklen_t len = sizeof cred;
    char why[300];
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
        (stopped(cred.pid, why, sizeof why) || busy_with(fd, why, sizeof why)))
        fprintf(stderr, "hotld: waiting for the session (pid %d): %s\n", (int)cred.pid, why);
    /* else it is working on this very request (a long call): no news */
}
