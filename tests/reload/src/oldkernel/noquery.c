/* LD_PRELOADed into a session: the kernel seems older than 6.11, which
 * answers no PROCMAP_QUERY, so that hotld reads every mapping instead
 * (reload/stacks.c). Any other ioctl goes through. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>

#define PROCMAP_QUERY 0xC0686611ul /* _IOWR('f', 17, struct procmap_query) */

int ioctl(int fd, unsigned long request, ...)
{
    static int (*real)(int, unsigned long, ...);
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (request == PROCMAP_QUERY) {
        errno = ENOTTY;
        return -1;
    }
    if (!real)
        real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
    return real(fd, request, arg);
}
