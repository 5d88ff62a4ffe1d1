/* The exec family, as the program calls it. hotld's executable exports
 * these, so the program's objects and the libraries it loads call them
 * instead of libc's. An exec keeps the signals pending on its thread: a
 * park signal that a reload of this process sent just before (to a
 * thread that blocks signals, or one already inside execve) would kill
 * the new program, which has no handler for it. So each waits for a
 * reload under way in this process and keeps the next one out by holding
 * the program's lock, drops the park signals pending on its thread, and
 * calls libc's. If that returns (the exec failed), the lock goes back.
 *
 * The variadic ones build their argument vector here: libc's would call
 * its own execve, out of reach. */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include "session.h"

typedef int execve_fn(const char *, char *const[], char *const[]);
typedef int execv_fn(const char *, char *const[]);
typedef int fexecve_fn(int, char *const[], char *const[]);
typedef int execveat_fn(int, const char *, char *const[], char *const[], int);

static void *libc(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

/* What an exec returns when it returns: -1, with its errno. */
static int failed(bool held)
{
    int err = errno;
    children_exec_failed(held);
    errno = err;
    return -1;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    execve_fn *real = libc("execve");
    bool held = children_exec_begin();
    real(path, argv, envp);
    return failed(held);
}

int execv(const char *path, char *const argv[])
{
    execv_fn *real = libc("execv");
    bool held = children_exec_begin();
    real(path, argv);
    return failed(held);
}

int execvp(const char *file, char *const argv[])
{
    execv_fn *real = libc("execvp");
    bool held = children_exec_begin();
    real(file, argv);
    return failed(held);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
    execve_fn *real = libc("execvpe");
    bool held = children_exec_begin();
    real(file, argv, envp);
    return failed(held);
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
    fexecve_fn *real = libc("fexecve");
    bool held = children_exec_begin();
    real(fd, argv, envp);
    return failed(held);
}

int execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags)
{
    execveat_fn *real = libc("execveat");
    bool held = children_exec_begin();
    real(dirfd, path, argv, envp, flags);
    return failed(held);
}

/* How many arguments arg and those after it make, up to the NULL. */
static size_t count_args(va_list ap)
{
    size_t n = 1;
    while (va_arg(ap, char *))
        n++;
    return n;
}

/* argv[0..n]: arg, the n - 1 after it, and the NULL, taken from *ap
 * (which then holds what follows: execle's environment). */
static void take_args(char **argv, const char *arg, va_list *ap, size_t n)
{
    argv[0] = (char *)arg;
    for (size_t i = 1; i <= n; i++)
        argv[i] = va_arg(*ap, char *);
}

/* Run body with argv made of arg and the variadic arguments after it, on
 * the stack: a child of a threaded program may not call malloc. */
#define WITH_ARGV(arg, body)                                                                       \
    do {                                                                                           \
        va_list ap, count;                                                                         \
        va_start(ap, arg);                                                                         \
        va_copy(count, ap);                                                                        \
        size_t n = count_args(count);                                                              \
        va_end(count);                                                                             \
        char *argv[n + 1];                                                                         \
        take_args(argv, arg, &ap, n);                                                              \
        body;                                                                                      \
    } while (0)

int execl(const char *path, const char *arg, ...)
{
    int rc = -1;
    WITH_ARGV(arg, { rc = execv(path, argv); va_end(ap); });
    return rc;
}

int execlp(const char *file, const char *arg, ...)
{
    int rc = -1;
    WITH_ARGV(arg, { rc = execvp(file, argv); va_end(ap); });
    return rc;
}

int execle(const char *path, const char *arg, ...)
{
    int rc = -1;
    WITH_ARGV(arg, {
        char *const *envp = va_arg(ap, char *const *);
        va_end(ap);
        rc = execve(path, argv, envp);
    });
    return rc;
}
