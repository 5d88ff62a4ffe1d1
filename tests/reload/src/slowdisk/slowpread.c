/* LD_PRELOADed into a session: a slow disk, seen only by hotld's own
 * threads. Each read of 64 KiB or more by a thread other than the main one
 * (the control thread reading an object's DWARF while main runs) takes
 * 100 ms more, and its length is appended to $SLOW_LOG. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void slow_down(size_t len)
{
    if (len < 65536 || gettid() == getpid())
        return;
    struct timespec t = {0, 100 * 1000 * 1000};
    nanosleep(&t, NULL);
    const char *log = getenv("SLOW_LOG");
    int fd = log ? open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) : -1;
    if (fd >= 0) {
        char line[32];
        int n = snprintf(line, sizeof line, "%zu\n", len);
        if (write(fd, line, (size_t)n) != n)
            abort();
        close(fd);
    }
}

ssize_t pread64(int fd, void *buf, size_t len, off_t at)
{
    static ssize_t (*real)(int, void *, size_t, off_t);
    if (!real)
        real = (ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread64");
    slow_down(len);
    return real(fd, buf, len, at);
}

ssize_t pread(int fd, void *buf, size_t len, off_t at)
{
    return pread64(fd, buf, len, at);
}
