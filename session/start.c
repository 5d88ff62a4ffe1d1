/* Starting the linked program in this process, as the C runtime would. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leaks.h"
#include "session.h"
#include "util.h"

extern char **environ;

static const struct image *running;

static void fini_at_exit(void)
{
    run_fini(running);
}

/* argv[0] as a linked executable would see it: the first object's file
 * name without ".o" (cc's a.o -> a), unless --name says otherwise. */
char *program_name(const struct session_options *o)
{
    for (size_t i = 0; i < o->link.ninputs; i++) {
        const char *arg = o->link.inputs[i].arg;
        size_t n = strlen(arg);
        if (o->link.inputs[i].is_lib || n < 3 || strcmp(arg + n - 2, ".o"))
            continue;
        return xasprintf("%.*s", (int)(n - 2), arg);
    }
    return xstrdup(o->link.ninputs ? o->link.inputs[0].arg : "a.out");
}

/* The auxiliary vector the kernel gave this process, as read from
 * /proc/self/auxv, in words; NULL if it cannot be read. */
static uintptr_t *read_auxv(size_t *nwords)
{
    size_t cap = 64, n = 0;
    uintptr_t *words = xmalloc(cap * sizeof *words);
    int fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC);
    for (ssize_t got = 1; fd >= 0 && got > 0; n += (size_t)got / sizeof *words) {
        if (n == cap)
            words = xrealloc(words, (cap *= 2) * sizeof *words);
        got = read(fd, words + n, (cap - n) * sizeof *words);
    }
    if (fd >= 0)
        close(fd);
    *nwords = n;
    return words;
}

/* The vector main gets, laid out as the kernel lays out an executable's
 * start: argv, a null, the environment, a null, then the auxiliary
 * vector. Runtimes look past argv for the other two (gccgo's scans
 * argv[argc + 1] on for the environment). */
char **program_vector(const char *name, int argc, char **args)
{
    size_t nenv = 0, naux;
    while (environ[nenv])
        nenv++;
    uintptr_t *aux = read_auxv(&naux);
    size_t nargs = 1 + (size_t)argc + 1, total = nargs + nenv + 1 + naux;
    char **v = xcalloc(total, sizeof *v);
    v[0] = (char *)name;
    memcpy(v + 1, args, (size_t)argc * sizeof *v);
    memcpy(v + nargs, environ, nenv * sizeof *v);
    memcpy(v + nargs + nenv + 1, aux, naux * sizeof *v);
    xfree(aux);
    return v;
}

/* Start the program the way __libc_start_main does: the fini runner is
 * registered before the constructors so that it runs after every atexit
 * handler they and main register. */
_Noreturn void start_program(const struct image *im, int argc, char **argv)
{
    program_invocation_name = argv[0];
    char *slash = strrchr(argv[0], '/');
    program_invocation_short_name = slash ? slash + 1 : argv[0];
    running = im;
    environ = argv + argc + 1; /* as at an executable's start (program_vector) */
    the_session.program.main_thread_pointer = thread_pointer();
    atexit(fini_at_exit);
    leaks_not_the_programs_end(); /* from here on, the main thread's blocks are the program's */
    run_init(im, argc, argv, environ);
    int (*entry)(int, char **, char **) = (int (*)(int, char **, char **))im->entry;
    exit(entry(argc, argv, environ));
}


/* glibc sizes every thread's static TLS when the process starts, from
 * GLIBC_TUNABLES. A program whose thread-local variables do not fit in
 * the surplus it keeps for modules loaded later gets hotld started again,
 * once, with room for them (nothing of the program has run yet). */
void restart_with_tls_room(const struct session_options *o)
{
    size_t room = tls_room_wanted();
    if (!room || getenv(TLS_RESTARTED))
        return;
    const char *old = getenv("GLIBC_TUNABLES");
    char *tunables = xasprintf("%s%sglibc.rtld.optional_static_tls=%zu", old ? old : "",
                               old ? ":" : "", room);
    setenv("GLIBC_TUNABLES", tunables, 1);
    setenv(TLS_RESTARTED, "1", 1);
    fflush(NULL);
    execv("/proc/self/exe", o->hotld_argv);
}

/* Objects built with -fsanitize=address (or thread) need their runtime
 * to be the process's first library, and code that reaches a library's
 * thread-local variables by initial exec (gdc's, for druntime's) needs
 * the library loaded as the process starts, as a linked executable's
 * are: hotld starts again, once, with them preloaded. The program's own
 * LD_PRELOAD is kept aside and put back before the program runs
 * (runtime_preloaded). */
void restart_with_runtime(char **argv)
{
    const char *runtime = dso_libraries_to_preload();
    if (!runtime || getenv(RUNTIME_RESTARTED))
        return;
    const char *old = getenv("LD_PRELOAD");
    setenv(RUNTIME_RESTARTED, old ? old : "", 1);
    char *preload = xasprintf("%s%s%s", runtime, old ? ":" : "", old ? old : "");
    setenv("LD_PRELOAD", preload, 1);
    fflush(NULL);
    execv("/proc/self/exe", argv);
}

void runtime_preloaded(void)
{
    const char *was = getenv(RUNTIME_RESTARTED);
    if (!was)
        return;
    if (*was)
        setenv("LD_PRELOAD", was, 1);
    else
        unsetenv("LD_PRELOAD");
    unsetenv(RUNTIME_RESTARTED);
}


