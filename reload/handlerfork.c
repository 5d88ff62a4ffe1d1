#include "handlerfork.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Longest a child may take: symbolizing a large program's frames takes
 * well under a second; a child stuck past this is given up on. */
#define CHILD_LIMIT_MS 20000

/* Is the child waiting in futex()? Its /proc/PID/syscall starts with the
 * number of the call it is blocked in. */
static bool waits_on_lock(pid_t child)
{
    char path[64], text[64];
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)child);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    text[n > 0 ? n : 0] = 0;
    char prefix[16];
    snprintf(prefix, sizeof prefix, "%d ", SYS_futex);
    return !strncmp(text, prefix, strlen(prefix));
}

/* Until the child exits (true: status 0), blocks on a lock, or takes too
 * long (then it is killed). The program may reap it first (a SIGCHLD
 * handler that waits for any child, or SIGCHLD ignored): ECHILD then
 * means it exited, as far as anyone can tell. */
static bool child_succeeded(pid_t child)
{
    const struct timespec tick = {0, 1000000};
    for (int ms = 0; ms < CHILD_LIMIT_MS; ms++) {
        int status;
        pid_t got = waitpid(child, &status, WNOHANG);
        if (got == child)
            return WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (got < 0 && errno == ECHILD)
            return true;
        if (waits_on_lock(child))
            break;
        nanosleep(&tick, NULL);
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    return false;
}

bool run_in_child(void (*fn)(const void *), const void *arg)
{
    pid_t child = _Fork();
    if (child < 0)
        return false;
    if (child == 0) {
        fn(arg);
        _exit(0);
    }
    return child_succeeded(child);
}
