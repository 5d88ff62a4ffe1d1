/* The session: the first invocation links the program, starts a control
 * thread that serves reload and status requests on the session's socket,
 * and runs main. Later invocations with the same session key are clients:
 * they send their inputs and print the session's answer. */
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "control.h"
#include "crash.h"
#include "hash.h"
#include "elfimage.h"
#include "introspect.h"
#include "query.h"
#include "jit.h"
#include "snapshot.h"
#include "stopworld.h"
#include "strbuf.h"
#include "tracker.h"
#include "util.h"
#include "watch.h"

extern char **environ;

static struct session the_session;
static const struct image *running;
static char *socket_path;
static pid_t server_pid;

/* ---- the program's view: hotld.h ------------------------------------- */

/* Work for the program's thread that calls hotld_poll(): a reload, or a
 * call asked for by hotld --call. */
struct pending {
    int (*job)(void *arg, char **report);
    void *arg;
    char *report;
    int rc;
    bool done, cancelled;
    char error[1024];
};

static pthread_mutex_t poll_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t poll_done = PTHREAD_COND_INITIALIZER;
static struct pending *poll_request;
static bool cooperative;

struct callback {
    void (*fn)(void *);
    void *ctx;
};

static struct callback callbacks[32];
static size_t ncallbacks;

static void run_callbacks(void)
{
    for (size_t i = 0; i < ncallbacks; i++)
        callbacks[i].fn(callbacks[i].ctx);
}

static void track_inputs(const struct link_options *opts)
{
    for (size_t i = 0; i < opts->ninputs; i++)
        if (!opts->inputs[i].is_lib)
            tracker_watch(opts->inputs[i].arg);
}

/* Inputs inotify saw no event for need no stat (see tracker.c). */
static void find_clean_inputs(const struct link_options *opts, struct strmap *clean)
{
    const char **paths = xcalloc(opts->ninputs + 1, sizeof *paths);
    size_t n = 0;
    for (size_t i = 0; i < opts->ninputs; i++)
        if (!opts->inputs[i].is_lib)
            paths[n++] = opts->inputs[i].arg;
    tracker_clean_paths(paths, n, clean);
    free(paths);
}

static uint64_t inputs_digest(const struct link_options *o)
{
    uint64_t h = o->ninputs * 0x9e3779b97f4a7c15ull + o->nlibdirs;
    for (size_t i = 0; i < o->ninputs; i++)
        h = (h ^ hash_bytes(o->inputs[i].arg, strlen(o->inputs[i].arg)) ^ o->inputs[i].is_lib) * 31;
    for (size_t i = 0; i < o->nlibdirs; i++)
        h = (h ^ hash_bytes(o->libdirs[i], strlen(o->libdirs[i]))) * 37;
    return h;
}

/* Remember what the program is now linked from. Input strings are copied:
 * a request's die with it. */
static void remember_inputs(const struct link_options *o)
{
    struct session *se = &the_session;
    se->inputs_digest = inputs_digest(o);
    for (size_t i = 0; i < se->ncurrent_inputs; i++)
        free((char *)se->current_inputs[i].arg);
    se->ncurrent_inputs = 0;
    for (size_t i = 0; i < o->ninputs; i++) {
        struct link_input in = {xstrdup(o->inputs[i].arg), o->inputs[i].is_lib};
        ARRAY_PUSH(se->current_inputs, se->ncurrent_inputs, se->capcurrent_inputs, in);
    }
    for (size_t i = 0; i < se->nfixed; i++)
        free((char *)se->fixed[i].arg);
    se->nfixed = 0;
    for (size_t i = 0; i < o->ninputs; i++)
        if (o->inputs[i].is_lib || !strmap_get(&se->live->by_name, o->inputs[i].arg)) {
            struct link_input in = {xstrdup(o->inputs[i].arg), o->inputs[i].is_lib};
            ARRAY_PUSH(se->fixed, se->nfixed, se->capfixed, in);
        }
}

struct input_list {
    struct link_input *in;
    size_t n, cap;
};

static void add_changed_object(const char *path, void *ctx)
{
    struct input_list *l = ctx;
    if (strmap_get(&the_session.live->by_name, path))
        ARRAY_PUSH(l->in, l->n, l->cap, ((struct link_input){path, false}));
}

/* The same inputs as the program was linked from, and inotify knows which
 * changed: link only those objects (and the archives and libraries, for
 * new references), so a reload costs what changed, not what exists. */
static bool fast_inputs(const struct link_options *opts, struct link_options *fast)
{
    struct session *se = &the_session;
    if (inputs_digest(opts) != se->inputs_digest)
        return false;
    struct input_list l = {0};
    if (!tracker_changed_paths(add_changed_object, &l)) {
        free(l.in);
        return false;
    }
    for (size_t i = 0; i < se->nfixed; i++)
        ARRAY_PUSH(l.in, l.n, l.cap, se->fixed[i]);
    *fast = *opts;
    fast->inputs = l.in;
    fast->ninputs = l.n;
    fast->only_changed = true;
    return true;
}

/* Called after every reload attempt: the gdb helper's 'hotld reload' stops
 * here to know the reload is over. */
__attribute__((noinline, used)) void hotld_reload_done(int rc)
{
    __asm__ volatile("" : : "r"(rc) : "memory");
}

static int apply(struct link_options *opts, char **report)
{
    struct strmap clean = {0};
    struct link_options fast;
    pthread_mutex_lock(&the_session.lock);
    clear_error();
    track_inputs(opts); /* before this reload reads anything */
    bool quick = fast_inputs(opts, &fast);
    if (!quick) {
        find_clean_inputs(opts, &clean);
        opts->clean = &clean;
    }
    int rc = reload_apply(&the_session, quick ? &fast : opts, report);
    opts->clean = NULL;
    if (rc >= 0) {
        tracker_settle();
        if (!quick)
            remember_inputs(opts);
    }
    if (quick)
        free(fast.inputs);
    free(the_session.last_report);
    the_session.last_report = rc < 0 ? xasprintf("hotld: error: reload failed: %s", last_error())
                                     : xstrdup(*report);
    pthread_mutex_unlock(&the_session.lock);
    strmap_free(&clean);
    hotld_reload_done(rc);
    if (rc > 0)
        run_callbacks();
    return rc;
}

static void hotld_poll_impl(void)
{
    pthread_mutex_lock(&poll_lock);
    cooperative = true;
    struct pending *p = poll_request;
    poll_request = NULL;
    pthread_mutex_unlock(&poll_lock);
    if (!p)
        return;
    int rc = p->job(p->arg, &p->report);
    pthread_mutex_lock(&poll_lock);
    p->rc = rc;
    if (rc < 0)
        snprintf(p->error, sizeof p->error, "%s", last_error());
    p->done = true;
    if (p->cancelled)
        free(p->report), free(p);
    pthread_cond_broadcast(&poll_done);
    pthread_mutex_unlock(&poll_lock);
}

static void hotld_on_reload_impl(void (*fn)(void *), void *ctx)
{
    if (fn && ncallbacks < ARRAY_SIZE(callbacks))
        callbacks[ncallbacks++] = (struct callback){fn, ctx};
}

static unsigned hotld_generation_impl(void)
{
    return the_session.generation;
}

static void define_host_symbols(struct session *se)
{
    strmap_slot(&se->host, "__hotld_poll")->value = (void *)hotld_poll_impl;
    strmap_slot(&se->host, "__hotld_on_reload")->value = (void *)hotld_on_reload_impl;
    strmap_slot(&se->host, "__hotld_generation")->value = (void *)hotld_generation_impl;
    introspect_define(se);
}

/* A program that calls hotld_poll() gets its reloads, and calls into it,
 * there: run job in that thread and wait for it. */
static int at_safe_point(int (*job)(void *, char **), void *arg, char **report)
{
    struct pending *p = xcalloc(1, sizeof *p);
    p->job = job;
    p->arg = arg;
    pthread_mutex_lock(&poll_lock);
    poll_request = p;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += the_session.reload_timeout_ms / 1000;
    until.tv_nsec += (the_session.reload_timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    while (!p->done && pthread_cond_timedwait(&poll_done, &poll_lock, &until) != ETIMEDOUT)
        ;
    int rc;
    if (!p->done) {
        p->cancelled = true;
        if (poll_request == p)
            poll_request = NULL, free(p);
        pthread_mutex_unlock(&poll_lock);
        return fail("the program did not call hotld_poll() within %d ms (--reload-timeout)",
                    the_session.reload_timeout_ms);
    }
    rc = p->rc;
    *report = p->report;
    if (rc < 0)
        fail("%s", p->error);
    free(p);
    pthread_mutex_unlock(&poll_lock);
    return rc;
}

static int apply_job(void *opts, char **report)
{
    return apply(opts, report);
}

static bool is_cooperative(void)
{
    pthread_mutex_lock(&poll_lock);
    bool coop = cooperative;
    pthread_mutex_unlock(&poll_lock);
    return coop;
}

int session_reload(struct link_options *opts, char **report)
{
    return is_cooperative() ? at_safe_point(apply_job, opts, report) : apply(opts, report);
}

/* The program as a debugger should see it: one image for all objects. */
static void publish_debug_image(struct link *ld)
{
    size_t size;
    struct source_list sources = {0};
    pthread_mutex_lock(&the_session.lock);
    if (!ld->debug_entry) {
        ld->debug_image = elfimage_build(ld, ld->objs, ld->nobjs, NULL, 0, 0, NULL, &sources, &size);
        ld->debug_entry = jit_register(ld->debug_image, size);
        snapshot_sources(the_session.source_root, 0, &sources);
    }
    pthread_mutex_unlock(&the_session.lock);
    source_list_free(&sources);
}

/* Is a debugger attached now? (It then needs the image before main.) */
static bool being_traced(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    bool traced = false;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "TracerPid:", 10))
            traced = atoi(line + 10) != 0;
    if (f)
        fclose(f);
    return traced;
}

/* ---- requests ---------------------------------------------------------- */

/* Link options travel as fields "f:PATH", "l:NAME", "L:DIR" (absolute). */
/* --on-conflict in a request: one letter, by enum conflict_policy. */
#define CONFLICT_LETTERS "rkaq"

static void encode_inputs(struct message *m, const struct link_options *o)
{
    for (size_t i = 0; i < o->ninputs; i++)
        message_add_tagged(m, o->inputs[i].is_lib ? 'l' : 'f', o->inputs[i].arg);
    for (size_t i = 0; i < o->nlibdirs; i++)
        message_add_tagged(m, 'L', o->libdirs[i]);
}

/* A field "t:MS": a positive number of milliseconds, or 0 if it is not. */
static int timeout_field(const char *v)
{
    char *end;
    errno = 0;
    long ms = strtol(v, &end, 10);
    return errno || *end || end == v || ms <= 0 || ms > INT32_MAX ? 0 : (int)ms;
}

int reload_request_decode(const struct message *m, struct link_options *o)
{
    size_t capin = 0, capdirs = 0;
    for (size_t i = 1; i < m->nfields; i++) {
        const char *f = m->fields[i];
        if (strlen(f) < 2 || f[1] != ':')
            return fail("malformed reload request field '%.40s'", f);
        if (f[0] == 'a')
            continue; /* a program argument: see same_program() */
        if (f[0] == 't') {
            if (!(o->reload_timeout_ms = timeout_field(f + 2)))
                return fail("malformed reload request field '%.40s'", f);
            continue;
        }
        if (f[0] == 'p') {
            const char *policy = strchr(CONFLICT_LETTERS, f[2]);
            if (!policy || !f[2] || f[3])
                return fail("malformed reload request field '%.40s'", f);
            o->on_conflict = (enum conflict_policy)(policy - CONFLICT_LETTERS);
            continue;
        }
        if (f[0] == 'f' || f[0] == 'l') {
            struct link_input in = {f + 2, f[0] == 'l'};
            ARRAY_PUSH(o->inputs, o->ninputs, capin, in);
        } else if (f[0] == 'L') {
            ARRAY_PUSH(o->libdirs, o->nlibdirs, capdirs, (const char *)(f + 2));
        } else {
            return fail("malformed reload request field '%.40s'", f);
        }
    }
    return 0;
}

/* --status --vars: what the last reload did with each variable of the
 * objects it replaced, then its per-variable lines (migrations, and the
 * warnings of resets). */
static void vars_text(struct strbuf *sb, const struct session *se)
{
    if (!se->nfates) {
        sb_printf(sb, "no variables: no object has been reloaded\n");
        return;
    }
    sb_printf(sb, "variables of the last reload (generation %u):\n", se->generation);
    for (size_t i = 0; i < se->nfates; i++) {
        const struct var_fate *f = &se->fates[i];
        sb_printf(sb, "  %-24s %-13s %-30s 0x%lx, %lu bytes\n", f->name, f->fate, f->object,
                  (unsigned long)f->addr, (unsigned long)f->size);
    }
    const char *r = se->last_report ? se->last_report : "";
    for (const char *line = strchr(r, '\n'); line; line = strchr(line + 1, '\n')) {
        size_t len = strcspn(line + 1, "\n");
        sb_printf(sb, "%.*s\n", (int)len, line + 1);
    }
}

static char *status_text(bool vars)
{
    struct session *se = &the_session;
    struct strbuf sb = {0};
    pthread_mutex_lock(&se->lock);
    sb_printf(&sb, "session %s: pid %d, %u reloads\n", socket_path, (int)getpid(), se->generation);
    size_t n;
    struct object **objs = link_current_objects(se->live, &n);
    for (size_t i = 0; i < n; i++)
        sb_printf(&sb, "  %-50s generation %u, image at 0x%lx\n", objs[i]->name, session_version_of(se, objs[i]),
                  (unsigned long)objs[i]->link->image->base);
    free(objs);
    if (vars)
        vars_text(&sb, se);
    pthread_mutex_unlock(&se->lock);
    return sb.s;
}

#define OTHER_PROGRAM "another program"

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
 * happens to run in the same directory, and it runs on its own. */
static bool same_program(const struct message *m)
{
    size_t nargs = 0;
    bool shared = false;
    for (size_t i = 1; i < m->nfields; i++) {
        const char *f = m->fields[i];
        if (f[0] == 'a' && f[1] == ':') {
            if (1 + nargs >= (size_t)the_session.argc || strcmp(f + 2, the_session.argv[1 + nargs]))
                return false;
            nargs++;
        } else if (f[0] == 'f' && f[1] == ':' && !shared) {
            shared = strmap_get(&the_session.live->by_name, f + 2) != NULL;
        }
    }
    return shared && 1 + nargs == (size_t)the_session.argc;
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
    struct eval_target t = {the_session.live, &the_session.lock, the_session.main_thread_pointer,
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
    pthread_mutex_lock(&the_session.lock);
    for (size_t i = 2; i < m->nfields && !loaded; i++) {
        const char *f = m->fields[i];
        if (f[0] != 'f' || f[1] != ':')
            continue;
        loaded = strmap_get(&the_session.live->by_name, f + 2) != NULL;
        any = true;
    }
    pthread_mutex_unlock(&the_session.lock);
    return loaded || !any;
}

static void serve_query(int fd, const struct message *m)
{
    struct query q;
    struct query_job j = {&q, {0}};
    char *text = NULL;
    if (!names_loaded_object(m)) {
        answer(fd, false, QUERY_OTHER_PROGRAM);
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
    free(text);
    free(j.doc.s);
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
        free(text);
    } else if (!strcmp(m.fields[0], "query")) {
        serve_query(fd, &m);
    } else if (!strcmp(m.fields[0], "reload") && !same_program(&m)) {
        answer(fd, false, OTHER_PROGRAM);
    } else if (!strcmp(m.fields[0], "reload")) {
        struct link_options opts = {.ask = ask_client, .ask_ctx = &fd, .open_file = open_for_client,
                                    .open_ctx = &fd};
        char *report = NULL;
        opts.entry = the_session.live->opts->entry;
        if (reload_request_decode(&m, &opts) < 0 || session_reload(&opts, &report) < 0)
            answer(fd, false, last_error());
        else
            answer(fd, true, report);
        free(report);
        free(opts.inputs);
        free(opts.libdirs);
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
    se->gdb_reload = 0;
    struct link_options opts = *se->live->opts;
    opts.inputs = se->current_inputs;
    opts.ninputs = se->ncurrent_inputs;
    char *report = NULL;
    session_reload(&opts, &report);
    free(report); /* the helper reads se->last_report */
}

static void *control_thread(void *arg)
{
    int listen_fd = (int)(intptr_t)arg;
    /* Without a debugger at start, the image for one that may attach later
     * is made here, so that the program's start does not wait for it. */
    publish_debug_image(the_session.live);
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

struct thread_start {
    void *(*fn)(void *);
    void *arg;
    sem_t registered;
};

static void *hotld_thread(void *p)
{
    struct thread_start *ts = p;
    void *(*fn)(void *) = ts->fn, *arg = ts->arg;
    world_exempt((pid_t)syscall(SYS_gettid));
    sem_post(&ts->registered);
    return fn(arg);
}

/* Threads hotld starts must not take the program's signals, and must be
 * exempt from parking before any reload can run. */
static void start_thread(void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    pthread_t t;
    struct thread_start ts = {.fn = fn, .arg = arg};
    sem_init(&ts.registered, 0, 0);
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    if (pthread_create(&t, NULL, hotld_thread, &ts) == 0) {
        pthread_detach(t);
        while (sem_wait(&ts.registered) < 0)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    sem_destroy(&ts.registered);
}

static void remove_socket(void)
{
    if (getpid() == server_pid) { /* not in a child that forked */
        unlink(socket_path);
        snapshot_remove(the_session.source_root);
    }
}

static bool start_control(const char *path)
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
    the_session.source_root = xasprintf("%s/sources-%d", dir, (int)server_pid);
    snapshot_remove_stale(dir);
    free(dir);
    atexit(remove_socket);
    start_thread(control_thread, (void *)(intptr_t)fd);
    return true;
}

/* ---- the client side ------------------------------------------------- */

/* Returns hotld's exit status, or -1 if the session says the request is
 * for another program. */
/* The session asks what to do with a variable (--on-conflict=ask): the
 * question and the choices go to this command's terminal, the answer
 * back. End of input answers "abort". */
static void put_question(int fd, const struct message *q)
{
    static const char *const names[] = {['m'] = "migrate", ['r'] = "reset to the new initial value",
                                        ['k'] = "keep the old bytes", ['a'] = "abort the reload"};
    const char *choices = q->nfields == 3 ? q->fields[2] : "a";
    fprintf(stderr, "hotld: %s\n", q->nfields > 1 ? q->fields[1] : "?");
    for (const char *c = choices; *c; c++)
        if ((unsigned char)*c < sizeof names / sizeof *names && names[(unsigned char)*c])
            fprintf(stderr, "  %c  %s\n", *c, names[(unsigned char)*c]);
    char line[64] = "a", letter[2] = "a";
    do {
        fprintf(stderr, "hotld: your choice [%s]? ", choices);
        fflush(stderr);
        if (!fgets(line, sizeof line, stdin))
            break;
    } while (!line[0] || line[1] != '\n' || !strchr(choices, line[0]));
    letter[0] = line[0] && strchr(choices, line[0]) ? line[0] : 'a';
    struct message a = {0};
    message_add(&a, "answer");
    message_add(&a, letter);
    message_send(fd, &a);
    message_free(&a);
}

/* The session reads a file for this command: open it here, with this
 * command's credentials, and pass it. */
static void open_for_session(int fd, const struct message *q)
{
    struct message a = {0};
    int file = q->nfields == 2 ? open(q->fields[1], O_RDONLY | O_CLOEXEC) : (errno = EINVAL, -1);
    message_add(&a, file >= 0 ? "file" : "error");
    if (file < 0)
        message_add(&a, strerror(errno));
    message_send_fd(fd, &a, file);
    if (file >= 0)
        close(file);
    message_free(&a);
}

/* The final reply, after any questions and files asked for. */
static int receive_reply(int fd, struct message *reply)
{
    for (;;) {
        if (message_recv(fd, reply) < 0)
            return -1;
        if (reply->nfields && !strcmp(reply->fields[0], "open"))
            open_for_session(fd, reply);
        else if (reply->nfields && !strcmp(reply->fields[0], "ask"))
            put_question(fd, reply);
        else
            return 0;
        message_free(reply);
    }
}

static int client_request(int fd, struct message *req)
{
    struct message reply;
    clear_error();
    if (message_send(fd, req) < 0 || receive_reply(fd, &reply) < 0 || reply.nfields < 2) {
        fprintf(stderr, "hotld: error: no answer from the session: %s\n", last_error());
        close(fd);
        return 1;
    }
    close(fd);
    bool ok = !strcmp(reply.fields[0], "ok");
    if (!ok && !strcmp(reply.fields[1], OTHER_PROGRAM)) {
        message_free(&reply);
        return -1;
    }
    if (!ok) {
        fprintf(stderr, "hotld: error: reload failed: %s\n", reply.fields[1]);
    } else {
        /* the report on stdout, its warnings on stderr */
        for (char *line = reply.fields[1], *next; line && *line; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = 0;
            fprintf(strncmp(line, "hotld: warning:", 15) ? stdout : stderr, "%s\n", line);
        }
    }
    message_free(&reply);
    return ok ? 0 : 1;
}

static int client_reload(int fd, const struct session_options *o)
{
    struct message req = {0};
    message_add(&req, "reload");
    for (int i = 0; i < o->argc; i++)
        message_add_tagged(&req, 'a', o->argv[i]);
    char policy[2] = {CONFLICT_LETTERS[o->link.on_conflict], 0};
    message_add_tagged(&req, 'p', policy);
    if (o->link.reload_timeout_ms) {
        char ms[16];
        snprintf(ms, sizeof ms, "%d", o->link.reload_timeout_ms);
        message_add_tagged(&req, 't', ms);
    }
    encode_inputs(&req, &o->link);
    int rc = client_request(fd, &req);
    message_free(&req);
    return rc;
}

static int client_status(const char *path, bool vars)
{
    int fd = control_connect(path);
    if (fd < 0) {
        fprintf(stderr, "hotld: error: no session is running for %s\n", path);
        return 1;
    }
    struct message req = {0};
    message_add(&req, "status");
    if (vars)
        message_add(&req, "vars");
    int rc = client_request(fd, &req);
    message_free(&req);
    return rc;
}

/* ---- starting the program ------------------------------------------ */

static void fini_at_exit(void)
{
    run_fini(running);
}

/* argv[0] as a linked executable would see it: the first object's file
 * name without ".o" (cc's a.o -> a), unless --name says otherwise. */
static char *program_name(const struct session_options *o)
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

/* Start the program the way __libc_start_main does: the fini runner is
 * registered before the constructors so that it runs after every atexit
 * handler they and main register. */
static _Noreturn void start_program(const struct image *im, int argc, char **argv)
{
    program_invocation_name = argv[0];
    char *slash = strrchr(argv[0], '/');
    program_invocation_short_name = slash ? slash + 1 : argv[0];
    running = im;
    the_session.main_thread_pointer = thread_pointer();
    atexit(fini_at_exit);
    run_init(im, argc, argv, environ);
    int (*entry)(int, char **, char **) = (int (*)(int, char **, char **))im->entry;
    exit(entry(argc, argv, environ));
}

#define TLS_RESTARTED "HOTLD_TLS_RESTARTED"

/* glibc sizes every thread's static TLS when the process starts, from
 * GLIBC_TUNABLES. A program whose thread-local variables do not fit in
 * the surplus it keeps for modules loaded later gets hotld started again,
 * once, with room for them (nothing of the program has run yet). */
static void restart_with_tls_room(const struct session_options *o)
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

static int run_server(struct session_options *o, const char *path)
{
    struct session *se = &the_session;
    double t = now_ms();
    pthread_mutex_init(&se->lock, NULL);
    se->reload_timeout_ms = o->reload_timeout_ms;
    define_host_symbols(se);
    se->rollback = o->rollback < 0 ? o->watch : o->rollback;
    crash_init(se, se->rollback);
    o->link.host = &se->host;
    struct link *ld = link_new(&o->link);
    if (link_load(ld) < 0) {
        restart_with_tls_room(o);
        fprintf(stderr, "hotld: error: %s\n", last_error());
        return 1;
    }
    unsetenv(TLS_RESTARTED); /* not the program's business */
    phase_done("total", t);
    se->live = ld;
    ARRAY_PUSH(se->gens, se->ngens, se->capgens, ld);
    remember_inputs(&o->link);
    session_record_versions(se, ld);
    world_init();
    if (!(path && start_control(path)) || being_traced())
        publish_debug_image(ld); /* before any of the program runs */
    if (o->watch)
        watch_start(&o->link, start_thread);
    se->argc = o->argc + 1;
    se->argv = xcalloc(o->argc + 2, sizeof *se->argv);
    se->argv[0] = (char *)o->name;
    memcpy(se->argv + 1, o->argv, o->argc * sizeof *se->argv);
    fflush(stderr);
    start_program(ld->image, se->argc, se->argv);
}

/* Paths are sent to the session and compared with what it loaded, so both
 * sides name files the same way: absolute, with "." and ".." folded
 * lexically (no system calls: a program may have a thousand inputs). */
static bool is_plain(const char *path)
{
    return !strstr(path, "/.") && !strstr(path, "//") && path[0] != '.';
}

static const char *absolute(const char *path, const char *cwd)
{
    if (cwd && path[0] != '/' && is_plain(path)) { /* the usual "dir/x.o" */
        size_t a = strlen(cwd), b = strlen(path);
        char *out = xmalloc(a + b + 2);
        memcpy(out, cwd, a);
        out[a] = '/';
        memcpy(out + a + 1, path, b + 1);
        return out;
    }
    char *full = path[0] == '/' || !cwd ? xstrdup(path) : xasprintf("%s/%s", cwd, path);
    char *out = full, *save = NULL;
    char *copy = xstrdup(full);
    size_t len = 0;
    for (char *part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
        if (!strcmp(part, "."))
            continue;
        if (!strcmp(part, "..")) {
            while (len > 0 && out[--len] != '/')
                ;
            continue;
        }
        out[len++] = '/';
        size_t n = strlen(part);
        memcpy(out + len, part, n);
        len += n;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = 0;
    free(copy);
    return out;
}

static void make_absolute(struct link_options *o)
{
    char buf[PATH_MAX];
    const char *cwd = getcwd(buf, sizeof buf);
    for (size_t i = 0; i < o->ninputs; i++)
        if (!o->inputs[i].is_lib)
            o->inputs[i].arg = absolute(o->inputs[i].arg, cwd);
    for (size_t i = 0; i < o->nlibdirs; i++)
        o->libdirs[i] = absolute(o->libdirs[i], cwd);
}

int session_main(struct session_options *o)
{
    char *path = control_socket_path(o->session);
    if (!o->name)
        o->name = program_name(o);
    make_absolute(&o->link);
    if (o->mode == MODE_STATUS || o->mode == MODE_QUERY) {
        int rc = o->mode == MODE_STATUS ? client_status(path, o->vars)
                                        : query_main(&o->query, o->graph_file, path, &o->link);
        free(path);
        return rc;
    }
    int fd = control_connect(path);
    if (fd >= 0) {
        int rc = client_reload(fd, o);
        if (rc >= 0) {
            free(path);
            return rc;
        }
        free(path);
        path = NULL; /* another program holds this session: run on our own */
    }
    return run_server(o, path);
}
