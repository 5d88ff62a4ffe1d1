/* The session: the first invocation links the program, starts a control
 * thread that serves reload and status requests on the session's socket,
 * and runs main. Later invocations with the same session key are clients:
 * they send their inputs and print the session's answer. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "crash.h"
#include "imagefile.h"
#include "jit.h"
#include "leaks.h"
#include "linkheap.h"
#include "sources.h"
#include "stopworld.h"
#include "util.h"
#include "watch.h"

struct session the_session;

/* What a request is compared with (server.c's same_program()). */
static void remember_arguments(const struct session_options *o)
{
    the_session.args = xcalloc(o->argc + 1, sizeof *the_session.args);
    for (int i = 0; i < o->argc; i++)
        the_session.args[i] = xstrdup(o->argv[i]);
    the_session.nargs = o->argc;
}

/* From here on, other commands talk to the session: everything they are
 * compared with is known. (A command that came earlier, the other end of
 * a pipeline, was taken for a reload of this program.) */
static void serve(struct session_options *o, const char *path, struct link *ld)
{
    jit_image_awaited(); /* made here or by the control thread */
    /* A debugger there needs the image before any of the program runs:
     * made here before the control thread starts, which then has it and
     * goes on to other work, not holding the lock the image needs. Main
     * waits for it, so -v shows its time as a phase's. */
    bool debugger = jit_debugger_attached();
    if (debugger) {
        double start = now_ms();
        publish_debug_image(ld);
        phase_done("debug image", start);
    }
    if (!(path && start_control(path)) && !debugger)
        publish_debug_image(ld); /* no control thread to make it */
    if (o->watch)
        watch_start(&o->link, o->log, o->build);
}

static int run_server(struct session_options *o, const char *path)
{
    struct program *pg = &the_session.program;
    leaks_not_the_programs_begin(); /* until its main starts (start.c) */
    double t = now_ms();
    pthread_mutex_init(&pg->lock, NULL);
    pg->reload_timeout_ms = o->reload_timeout_ms;
    define_host_symbols(pg);
    pg->rollback = o->rollback < 0 ? o->watch : o->rollback;
    crash_init(pg, pg->rollback);
    self_names_init();
    children_init();
    o->link.host = &pg->host;
    linkheap_open();
    struct link *ld = link_new(&o->link);
    if (link_load(ld) < 0 || exports_publish(ld, NULL) < 0) {
        restart_with_tls_room(o);
        restart_with_runtime(o->hotld_argv);
        fprintf(stderr, "hotld: error: %s\n", last_error());
        return 1;
    }
    linkheap_close();
    unsetenv(TLS_RESTARTED); /* not the program's business */
    runtime_preloaded();
    phase_done("total", t);
    pg->live = ld;
    ARRAY_PUSH(pg->gens, pg->ngens, pg->capgens, ld);
    program_text_reserve(pg);
    program_text_add(pg, ld->image);
    remember_inputs(&o->link);
    world_init();
    pg->argc = o->argc + 1;
    pg->argv = program_vector(o->name, o->argc, o->argv);
    remember_arguments(o);
    self_names_publish(pg);
    image_files_name(o->name);
    image_file_map(ld);
    serve(o, path, ld);
    leaks_scan_for_roots((const void *)ld->image->base, ld->image->size);
    fflush(stderr);
    start_program(ld->image, pg->argc, pg->argv);
}

int session_main(struct session_options *o)
{
    char *path = control_socket_path(o->session);
    if (!o->name)
        o->name = program_name(o);
    make_absolute(&o->link);
    if (o->pid) { /* its own socket, beside the session's (children.c) */
        char *own = xasprintf("%s.%d", path, (int)o->pid);
        xfree(path);
        path = own;
        if (access(path, F_OK) != 0) {
            fprintf(stderr, "hotld: error: --pid %d: no process of the session has that pid (--status lists "
                            "them; the first process is asked without --pid)\n", (int)o->pid);
            xfree(path);
            return 1;
        }
    }
    if (o->mode == MODE_STATUS || o->mode == MODE_QUERY) {
        int rc = o->mode == MODE_STATUS ? client_status(path, o->vars)
                                        : query_main(&o->query, o->graph_file, path, &o->link);
        xfree(path);
        return rc;
    }
    int fd = control_connect(path);
    /* --deopt, --reopt: compiled once a session is there to reload it */
    if (fd >= 0 && o->recompile && (sources_load(&o->link), sources_recompile(o->recompile, o->unoptimized) < 0)) {
        fprintf(stderr, "hotld: error: %s\n", last_error());
        close(fd);
        xfree(path);
        return 1;
    }
    if (fd < 0 && o->reload_only) {
        fprintf(stderr, "hotld: error: --reload-only: no session runs this program (%s): nothing reloaded, "
                        "and not started\n", o->session ? o->session : "none in this directory");
        xfree(path);
        return 1;
    }
    int rc = fd >= 0 ? client_reload(fd, o) : 0;
    /* the program ended as this command came: as if it had come a moment
     * later, there is no session (its socket is gone), and this command
     * runs the program */
    if (rc == CLIENT_GONE && !o->session && !o->reload_only && access(path, F_OK) != 0)
        return run_server(o, path);
    if (rc == CLIENT_GONE) {
        client_say_gone(path);
        xfree(path);
        return 1;
    }
    if (fd >= 0) {
        if (rc >= 0) {
            xfree(path);
            return rc;
        }
        xfree(path);
        if (o->session) {
            fprintf(stderr, "hotld: error: session '%s' runs another program (other arguments, or none of these "
                            "objects): not reloaded, and not started again\n",
                    o->session);
            return 1;
        }
        path = NULL; /* another program holds this session: run on our own */
    }
    return run_server(o, path);
}
