/* The session's side of the control socket: a thread of hotld's that
 * answers status requests, questions about the image and reloads, and
 * the gdb helper's 'hotld reload'. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "control.h"
#include "elfimage.h"
#include "jit.h"
#include "session.h"
#include "snapshot.h"
#include "stopworld.h"
#include "strbuf.h"
#include "util.h"

static char *socket_path;
static pid_t server_pid;

/* The program as a debugger should see it: one image for all objects. */
void publish_debug_image(struct link *ld)
{
    size_t size;
    struct source_list sources = {0};
    pthread_mutex_lock(&the_session.program.lock);
    if (!ld->debug_entry) {
        ld->debug_image = elfimage_build(ld, ld->objs, ld->nobjs, NULL, 0, 0, NULL, &sources, &size);
        ld->debug_entry = jit_register(ld->debug_image, size);
        snapshot_sources(the_session.program.source_root, 0, &sources);
    }
    pthread_mutex_unlock(&the_session.program.lock);
    source_list_free(&sources);
}

/* --status --vars: what the last reload did with each variable of the
 * objects it replaced, then its per-variable lines (migrations, and the
 * warnings of resets). */
static void vars_text(struct strbuf *sb, const struct program *pg)
{
    if (!pg->nfates) {
        sb_printf(sb, "no variables: no object has been reloaded\n");
        return;
    }
    sb_printf(sb, "variables of the last reload (generation %u):\n", pg->generation);
    for (size_t i = 0; i < pg->nfates; i++) {
        const struct var_fate *f = &pg->fates[i];
        sb_printf(sb, "  %-24s %-13s %-30s 0x%lx, %lu bytes\n", f->name, f->fate, f->object,
                  (unsigned long)f->addr, (unsigned long)f->size);
    }
    const char *r = pg->last_report ? pg->last_report : "";
    for (const char *line = strchr(r, '\n'); line; line = strchr(line + 1, '\n')) {
        size_t len = strcspn(line + 1, "\n");
        sb_printf(sb, "%.*s\n", (int)len, line + 1);
    }
}

static char *status_text(bool vars)
{
    struct program *pg = &the_session.program;
    struct strbuf sb = {0};
    pthread_mutex_lock(&pg->lock);
    sb_printf(&sb, "session %s: pid %d, %u reloads\n", socket_path, (int)getpid(), pg->generation);
    size_t n;
    struct object **objs = link_current_objects(pg->live, &n);
    for (size_t i = 0; i < n; i++)
        sb_printf(&sb, "  %-50s generation %u, image at 0x%lx\n", objs[i]->name, program_version_of(pg, objs[i]),
                  (unsigned long)objs[i]->link->image->base);
    xfree(objs);
    if (vars)
        vars_text(&sb, pg);
    pthread_mutex_unlock(&pg->lock);
    return sb.s;
}

/* --on-conflict=ask: the question goes to the requesting command, which
 * puts it to its user; no answer (it went away) counts as none. */
static char ask_client(void *ctx, const char *question, const char *choices)
{
    int fd = *(int *)ctx;
    struct message q = {0}, a = {0};
    /* A person answers: no 5-second limit (control_accept's) on that. A
     * command that goes away closes the socket, which ends the wait. */
    struct timeval forever = {0}, usual = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof forever);
    message_add(&q, "ask");
    message_add(&q, question);
    message_add(&q, choices);
    char letter = 0;
    if (message_send(fd, &q) == 0 && message_recv(fd, &a) == 0 && a.nfields == 2 &&
        !strcmp(a.fields[0], "answer") && strlen(a.fields[1]) == 1)
        letter = a.fields[1][0];
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &usual, sizeof usual);
    message_free(&q);
    message_free(&a);
    return letter;
}

/* A file a reload reads is opened by the requesting command, with its
 * credentials, and passed over the socket: the session never reads for a
 * command what that command could not read itself (a command of the same
 * user in another group, say). */
static int open_for_client(void *ctx, const char *path)
{
    int fd = *(int *)ctx, file = -1;
    struct message q = {0}, a = {0};
    message_add(&q, "open");
    message_add(&q, path);
    if (message_send(fd, &q) < 0 || message_recv(fd, &a) < 0)
        file = fail("%s: the requesting command did not open it: %s", path, last_error());
    else if (a.nfields == 1 && !strcmp(a.fields[0], "file") && (file = message_take_fd(&a)) >= 0)
        ;
    else
        file = fail("%s: %s", path, a.nfields == 2 && !strcmp(a.fields[0], "error") ? a.fields[1]
                                                                                    : "malformed answer to 'open'");
    message_free(&q);
    message_free(&a);
    return file;
}

static void answer(int fd, bool ok, const char *text)
{
    struct message reply = {0};
    message_add(&reply, ok ? "ok" : "error");
    message_add(&reply, text);
    message_send(fd, &reply);
    message_free(&reply);
}

/* Is the requesting command this program again? It must pass the same
 * program arguments and name at least one object the program has loaded;
 * otherwise it is another program (the other end of a pipeline, say) that
 * happens to run in the same directory, and it runs on its own. A command
 * that names the session (--session) means this program: it may leave the
 * arguments out. */
static bool same_program(const struct message *m)
{
    size_t nargs = 0;
    bool shared = false, named = false;
    for (size_t i = 1; i < m->nfields; i++) {
        const char *f = m->fields[i];
        if (f[0] == 'n' && f[1] == ':') {
            named = true;
        } else if (f[0] == 'a' && f[1] == ':') {
            if (1 + nargs >= (size_t)the_session.program.argc || strcmp(f + 2, the_session.program.argv[1 + nargs]))
                return false;
            nargs++;
        } else if (f[0] == 'f' && f[1] == ':' && !shared) {
            shared = strmap_get(&the_session.program.live->by_name, f + 2) != NULL;
        }
    }
    return shared && (1 + nargs == (size_t)the_session.program.argc || (named && nargs == 0));
}

/* hotld --sizes, --refs, --print, --call on the program as it is now. A
 * call goes to the program's hotld_poll() if it uses it, as reloads do. */
struct query_job {
    const struct query *q;
    struct strbuf doc;
};

/* A call from hotld's control thread runs program code: for its duration
 * the thread can be parked by a reload (from --watch, say) like any
 * program thread, so that no patch lands under it. In the program's own
 * thread (hotld_poll), nothing changes. */
static void call_visits_program(bool begin)
{
    static __thread struct world_visit visit;
    if (begin)
        world_visit_begin(&visit);
    else
        world_visit_end(&visit);
}

static int query_job(void *arg, char **text)
{
    struct query_job *j = arg;
    struct strbuf sb = {0};
    sb_printf(&sb, "%s", "");
    struct eval_target t = {the_session.program.live, &the_session.program.lock, the_session.program.main_thread_pointer,
                            call_visits_program};
    int rc = query_answer(j->q, &t, &sb, &j->doc);
    *text = sb.s;
    return rc;
}

/* A question that names files is about this program only if it has
 * loaded one of them (the command line of another program in the same
 * directory is answered from its own files). */
static bool names_loaded_object(const struct message *m)
{
    bool any = false, loaded = false;
    pthread_mutex_lock(&the_session.program.lock);
    for (size_t i = 2; i < m->nfields && !loaded; i++) {
        const char *f = m->fields[i];
        if (f[0] != 'f' || f[1] != ':')
            continue;
        loaded = strmap_get(&the_session.program.live->by_name, f + 2) != NULL;
        any = true;
    }
    pthread_mutex_unlock(&the_session.program.lock);
    return loaded || !any;
}

static void serve_query(int fd, const struct message *m)
{
    struct query q;
    struct query_job j = {&q, {0}};
    char *text = NULL;
    if (!names_loaded_object(m)) {
        answer(fd, false, OTHER_PROGRAM);
        return;
    }
    int rc = query_decode(m, &q);
    if (rc == 0)
        rc = !strcmp(q.command, "eval") && is_cooperative() ? at_safe_point(query_job, &j, &text)
                                                             : query_job(&j, &text);
    struct message reply = {0};
    message_add(&reply, rc == 0 ? "ok" : "error");
    message_add(&reply, rc == 0 ? text : last_error());
    if (rc == 0 && q.graph)
        message_add(&reply, j.doc.s ? j.doc.s : "");
    message_send(fd, &reply);
    message_free(&reply);
    xfree(text);
    xfree(j.doc.s);
}

static void serve_request(int fd)
{
    struct message m;
    clear_error();
    int rc = message_recv(fd, &m);
    if (rc < 0 || m.nfields == 0) {
        answer(fd, false, rc < 0 ? last_error() : "empty request");
        message_free(&m);
        return;
    }
    if (!strcmp(m.fields[0], "status")) {
        char *text = status_text(m.nfields > 1 && !strcmp(m.fields[1], "vars"));
        answer(fd, true, text);
        xfree(text);
    } else if (!strcmp(m.fields[0], "query")) {
        serve_query(fd, &m);
    } else if (!strcmp(m.fields[0], "reload") && !same_program(&m)) {
        answer(fd, false, OTHER_PROGRAM);
    } else if (!strcmp(m.fields[0], "reload")) {
        struct link_options opts = {.ask = ask_client, .ask_ctx = &fd, .open_file = open_for_client,
                                    .open_ctx = &fd};
        char *report = NULL;
        opts.entry = the_session.program.live->opts->entry;
        if (reload_request_decode(&m, &opts) < 0 || session_reload(&opts, &report) < 0)
            answer(fd, false, last_error());
        else
            answer(fd, true, report);
        xfree(report);
        xfree(opts.inputs);
        xfree(opts.libdirs);
    } else {
        answer(fd, false, "unknown request");
    }
    message_free(&m);
}

/* 'hotld reload' in gdb sets the_session.gdb_reload: reload with the
 * program's own inputs, as if its command had been run again. */
static void reload_for_debugger(void)
{
    struct session *se = &the_session;
    struct program *pg = &se->program;
    se->gdb_reload = 0;
    struct link_options opts = *pg->live->opts;
    opts.inputs = pg->current_inputs;
    opts.ninputs = pg->ncurrent_inputs;
    char *report = NULL;
    session_reload(&opts, &report);
    xfree(report); /* the helper reads pg->last_report */
}

static void *control_thread(void *arg)
{
    int listen_fd = (int)(intptr_t)arg;
    /* Without a debugger at start, the image for one that may attach later
     * is made here, so that the program's start does not wait for it. */
    publish_debug_image(the_session.program.live);
    for (;;) {
        struct pollfd pfd = {listen_fd, POLLIN, 0};
        if (the_session.gdb_reload)
            reload_for_debugger();
        if (poll(&pfd, 1, 100) <= 0)
            continue; /* a tenth of a second: the debugger's requests */
        int fd = control_accept(listen_fd);
        if (fd < 0) {
            if (errno == EBADF || errno == EINVAL)
                return NULL;
            continue;
        }
        serve_request(fd);
        close(fd);
    }
}

static void remove_socket(void)
{
    if (getpid() == server_pid) { /* not in a child that forked */
        unlink(socket_path);
        snapshot_remove(the_session.program.source_root);
    }
}

bool start_control(const char *path)
{
    int fd = control_listen(path);
    if (fd < 0) {
        /* The program runs without reloads. Say so only if asked: its
         * stderr must look like the linked program's. */
        if (verbose)
            warn("reloads disabled: %s", last_error());
        clear_error();
        return false;
    }
    socket_path = xstrdup(path);
    server_pid = getpid();
    /* beside the socket: the same private directory */
    char *dir = xasprintf("%.*s", (int)(strrchr(path, '/') - path), path);
    the_session.program.source_root = xasprintf("%s/sources-%d", dir, (int)server_pid);
    snapshot_remove_stale(dir);
    xfree(dir);
    atexit(remove_socket);
    start_thread(control_thread, (void *)(intptr_t)fd);
    return true;
}
