#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

extern char **environ;

static const struct image *running;

static void fini_at_exit(void)
{
    run_fini(running);
}

/* argv[0] as a linked executable would see it: the first object's file
 * name without ".o" (cc's a.o -> a), unless --name says otherwise. */
static char *program_name(const struct session_options *o)
{
    if (o->name)
        return xstrdup(o->name);
    for (size_t i = 0; i < o->link.ninputs; i++) {
        const char *arg = o->link.inputs[i].arg;
        size_t n = strlen(arg);
        if (o->link.inputs[i].is_lib || n < 3 || strcmp(arg + n - 2, ".o"))
            continue;
        return xasprintf("%.*s", (int)(n - 2), arg);
    }
    return xstrdup(o->link.ninputs ? o->link.inputs[0].arg : "a.out");
}

/* Start the program the way __libc_start_main does: the fini runner is
 * registered before the constructors so that it runs after every atexit
 * handler they and main register. */
static _Noreturn void start_program(const struct image *im, int argc, char **argv)
{
    program_invocation_name = argv[0];
    char *slash = strrchr(argv[0], '/');
    program_invocation_short_name = slash ? slash + 1 : argv[0];
    running = im;
    atexit(fini_at_exit);
    run_init(im, argc, argv, environ);
    int (*entry)(int, char **, char **) = (int (*)(int, char **, char **))im->entry;
    exit(entry(argc, argv, environ));
}

int session_run(struct session_options *o)
{
    double t = now_ms();
    struct link *ld = link_new(&o->link);
    if (link_load(ld) < 0) {
        fprintf(stderr, "hotld: error: %s\n", last_error());
        return 1;
    }
    phase_done("total", t);
    char **argv = xcalloc(o->argc + 2, sizeof *argv);
    argv[0] = program_name(o);
    memcpy(argv + 1, o->argv, o->argc * sizeof *argv);
    fflush(stderr);
    start_program(ld->image, o->argc + 1, argv);
}
