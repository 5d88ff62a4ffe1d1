/* The session's side of the control socket: a thread of hotld's that
 * answers status requests, questions about the image and reloads, and
 * the gdb helper's 'hotld reload'. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "background.h"
#include "forkgate.h"
#include "forksafe.h"
#include "call.h"
#include "control.h"
#include "jit.h"
#include "session.h"
#include "snapshot.h"
#include "stopworld.h"
#include "strbuf.h"
#include "util.h"

static char *socket_path;
static pid_t server_pid;
static int listening = -1;
static pthread_t control;       /* the control thread, while control_runs */
static bool control_runs;
static atomic_bool control_ending;

/* The program as a debugger should see it: one image for all objects
 * (split when a reload first renames in it: reload/debugswap.c). */
void publish_debug_image(struct link *ld)
{
    struct program *pg = &the_session.program;
    forkgate_lock(&pg->lock);
    if (!ld->ndebug) {
        ld->debug = debug_image_whole(pg, ld, &pg->first_sources);
        ld->ndebug = 1;
        if (ld->debug->entry)
            jit_entry_add(ld->debug->entry);
    }
    pthread_mutex_unlock(&pg->lock);
}

/* The first version's records that only reloads read are made here, on
 * the control thread, while main runs: the copies of its sources (not
 * with the image: a debugger there at the start has the image made before
 * main, and the copies of 1,000 sources delayed main by 20-60 ms), and
 * its objects' versions and vtables. A reload that comes first makes them
 * itself (program_snapshot_first, program_record_first). */
static void finish_first_version(void)
{
    struct program *pg = &the_session.program;
    forkgate_lock(&pg->lock);
    program_record_first(pg);
    program_snapshot_first(pg);
    link_read_split_dwarf(pg->live);
    pthread_mutex_unlock(&pg->lock);
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
    forkgate_lock(&pg->lock);
    sb_printf(&sb, "session %s: pid %d, %u reloads\n", socket_path, (int)getpid(), pg->generation);
    size_t n;
    struct object **objs = link_current_objects(pg->live, &n);
    for (size_t i = 0; i < n; i++)
        sb_printf(&sb, "  %-50s generation %u, image at 0x%lx\n", objs[i]->name, program_version_of(pg, objs[i]),
                  (unsigned long)objs[i]->link->image->base);
    xfree(objs);
    struct debug_tally t = debug_images_tally(pg);
    sb_printf(&sb, "  debug images: %zu, %zu KiB (%zu compressed)\n", t.images, (t.bytes + 1023) >> 10, t.compressed);
    processes_status(&sb);
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
    int busy = busy_begin("waiting for the reloading command's user to answer a question about a variable");
    if (message_send(fd, &q) == 0 && message_recv(fd, &a) == 0 && a.nfields == 2 &&
        !strcmp(a.fields[0], "answer") && strlen(a.fields[1]) == 1)
        letter = a.fields[1][0];
    busy_end(busy);
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
    return control_open_remote(*(int *)ctx, path, "the requesting command");
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
            if (nargs >= (size_t)the_session.nargs || strcmp(f + 2, the_session.args[nargs]))
                return false;
            nargs++;
        } else if (f[0] == 'f' && f[1] == ':' && !shared) {
            shared = strmap_get(&the_session.program.live->by_name, f + 2) != NULL;
        }
    }
    return shared && (nargs == (size_t)the_session.nargs || (named && nargs == 0));
}

/* hotld --sizes, --refs, --print, --call on the program as it is now,
 * each answered in a thread of its own, so that the session answers other
 * requests meanwhile: a call may take long, or never return. A call goes
 * to the program's hotld_poll() if it uses it, as reloads do. */
#define MAX_QUESTIONS 16

struct question {
    int fd;
    struct message m;
    struct query q;
    struct strbuf doc;
    pid_t call_tid;             /* the thread running its call, 0 if none */
    double call_deadline_ms;    /* when that call must end; 0: no limit */
};

static struct question *questions[MAX_QUESTIONS];
static pthread_mutex_t questions_lock = PTHREAD_MUTEX_INITIALIZER;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_mutex(&questions_lock);
}

/* Around a call, in the thread that makes it: from hotld's own thread,
 * the call runs program code, so for its duration the thread can be
 * parked by a reload (from --watch, say) like any program thread, and no
 * patch lands under it. The control thread watches it meanwhile. */
static void around_call(void *ctx, bool begin)
{
    static __thread struct world_visit visit;
    struct question *qn = ctx;
    pthread_mutex_lock(&questions_lock);
    qn->call_tid = begin ? (pid_t)syscall(SYS_gettid) : 0;
    qn->call_deadline_ms = begin && qn->q.call_timeout_ms ? now_ms() + qn->q.call_timeout_ms : 0;
    pthread_mutex_unlock(&questions_lock);
    if (begin) {
        world_visit_begin(&visit);
        forkgate_wait_begin(); /* program code: the program's forks do not wait for it */
    } else {
        forkgate_wait_end();
        world_visit_end(&visit);
    }
}

/* A call whose asking command has gone (Ctrl-C: it shut down its side of
 * the socket) or that ran past its time limit is interrupted; asked
 * again at every turn of the control thread until it ends. */
static void watch_calls(void)
{
    pthread_mutex_lock(&questions_lock);
    for (size_t i = 0; i < MAX_QUESTIONS; i++) {
        struct question *qn = questions[i];
        if (!qn || !qn->call_tid)
            continue;
        struct pollfd p = {qn->fd, POLLRDHUP, 0};
        bool stopped = poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
        bool late = qn->call_deadline_ms && now_ms() >= qn->call_deadline_ms;
        if (stopped || late)
            call_interrupt(qn->call_tid, stopped ? CALL_STOPPED : CALL_TIMED_OUT);
    }
    pthread_mutex_unlock(&questions_lock);
}

static int query_job(void *arg, char **text)
{
    struct question *qn = arg;
    struct strbuf sb = {0};
    sb_printf(&sb, "%s", "");
    struct eval_target t = {the_session.program.live, &the_session.program.lock, the_session.program.main_thread_pointer,
                            around_call, qn};
    int rc = query_answer(&qn->q, &t, &sb, &qn->doc);
    *text = sb.s;
    return rc;
}

/* A question that names files is about this program only if it has
 * loaded one of them (the command line of another program in the same
 * directory is answered from its own files). */
static bool names_loaded_object(const struct message *m)
{
    bool any = false, loaded = false;
    forkgate_lock(&the_session.program.lock);
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

static void serve_query(struct question *qn)
{
    char *text = NULL;
    if (!names_loaded_object(&qn->m)) {
        answer(qn->fd, false, OTHER_PROGRAM);
        return;
    }
    int rc = query_decode(&qn->m, &qn->q);
    if (rc == 0)
        rc = !strcmp(qn->q.command, "eval") && is_cooperative() ? at_safe_point(query_job, qn, &text)
                                                                 : query_job(qn, &text);
    struct message reply = {0};
    message_add(&reply, rc == 0 ? "ok" : "error");
    message_add(&reply, rc == 0 ? text : last_error());
    if (rc == 0 && qn->q.graph)
        message_add(&reply, qn->doc.s ? qn->doc.s : "");
    message_send(qn->fd, &reply);
    message_free(&reply);
    xfree(text);
}

static void *question_thread(void *arg)
{
    struct question *qn = arg;
    serve_query(qn);
    pthread_mutex_lock(&questions_lock);
    for (size_t i = 0; i < MAX_QUESTIONS; i++)
        if (questions[i] == qn)
            questions[i] = NULL;
    pthread_mutex_unlock(&questions_lock);
    close(qn->fd);
    message_free(&qn->m);
    xfree(qn->doc.s);
    xfree(qn);
    return NULL;
}

/* The question gets a thread, which owns fd from then on; false if there
 * are too many already. */
static bool start_question(int fd, struct message *m)
{
    struct question *qn = xcalloc(1, sizeof *qn);
    qn->fd = fd;
    qn->m = *m;
    size_t slot = MAX_QUESTIONS;
    pthread_mutex_lock(&questions_lock);
    for (size_t i = 0; i < MAX_QUESTIONS && slot == MAX_QUESTIONS; i++)
        if (!questions[i])
            questions[slot = i] = qn;
    pthread_mutex_unlock(&questions_lock);
    if (slot == MAX_QUESTIONS) {
        xfree(qn);
        return false;
    }
    *m = (struct message){0};
    start_thread(question_thread, qn);
    return true;
}

/* A process forked from the program crashed in the code of the last
 * reload, with --rollback: every process rolls back, as from a crash
 * here. */
static void roll_back_for_follower(int fd)
{
    struct program *pg = &the_session.program;
    char *report = NULL;
    int busy = busy_begin("rolling back the last reload, for a crash in a forked process");
    forkgate_lock(&pg->lock);
    clear_error();
    int rc = session_roll_back_all(pg, &report);
    pthread_mutex_unlock(&pg->lock);
    busy_end(busy);
    answer(fd, rc > 0, rc > 0 ? report : rc == 0 ? "nothing to roll back" : last_error());
    xfree(report);
}

/* Returns true if fd went to a thread that answers it. A process forked
 * from the program (follower.c) answers questions about itself, and
 * takes reloads only through the first process. */
bool serve_message(int fd, struct message *m, bool first_process)
{
    bool handed_over = false;
    if (!strcmp(m->fields[0], "status")) {
        char *text = status_text(m->nfields > 1 && !strcmp(m->fields[1], "vars"));
        answer(fd, true, text);
        xfree(text);
    } else if (!strcmp(m->fields[0], "query")) {
        handed_over = start_question(fd, m);
        if (!handed_over) {
            char busy[120];
            snprintf(busy, sizeof busy, "the session is answering %d questions already; ask again when one is done",
                     MAX_QUESTIONS);
            answer(fd, false, busy);
        }
    } else if (!strcmp(m->fields[0], "reload") && !first_process) {
        answer(fd, false, "a process forked from the program reloads with the first one: ask the session, "
                          "without --pid");
    } else if (!strcmp(m->fields[0], "reload") && !same_program(m)) {
        answer(fd, false, OTHER_PROGRAM);
    } else if (!strcmp(m->fields[0], "rollback") && first_process) {
        roll_back_for_follower(fd);
    } else if (!strcmp(m->fields[0], "reload")) {
        struct link_options opts = {.ask = ask_client, .ask_ctx = &fd, .open_file = open_for_client,
                                    .open_ctx = &fd};
        char *report = NULL;
        opts.entry = the_session.program.live->opts->entry;
        int busy = busy_begin("reloading");
        if (reload_request_decode(m, &opts) < 0 || session_reload(&opts, &report) < 0)
            answer(fd, false, last_error());
        else
            answer(fd, true, report);
        busy_end(busy);
        xfree(report);
        xfree(opts.inputs);
        xfree(opts.libdirs);
        xfree(opts.reset);
    } else {
        answer(fd, false, "unknown request");
    }
    return handed_over;
}

static bool serve_request(int fd)
{
    struct message m;
    clear_error();
    int rc = message_recv(fd, &m);
    bool handed_over = false;
    if (rc < 0 || m.nfields == 0)
        answer(fd, false, rc < 0 ? last_error() : "empty request");
    else
        handed_over = serve_message(fd, &m, true);
    message_free(&m);
    return handed_over;
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
    int busy = busy_begin("reloading, for the debugger's 'hotld reload'");
    session_reload(&opts, &report);
    busy_end(busy);
    xfree(report); /* the helper reads pg->last_report */
}

void session_refresh_debug_images(void)
{
    struct program *pg = &the_session.program;
    if (!pg->debug_stale || !(jit_image_is_awaited() || jit_debugger_attached()))
        return;
    forkgate_lock(&pg->lock);
    refresh_debug_images(pg);
    pthread_mutex_unlock(&pg->lock);
}

/* The debug images, kept as long as the program, are compressed once the
 * program has started or reloaded QUIET_MS ago: not while it starts, nor
 * between the reloads of a burst of edits; and for SLICE_MS at a time (an
 * image or more), so that a request that comes meanwhile does not wait
 * long. */
#define QUIET_MS 1000
#define SLICE_MS 20

static void compress_idle_images(void)
{
    double start = now_ms();
    while (compress_debug_image(&the_session.program) && now_ms() - start < SLICE_MS)
        ;
}

/* What the control thread makes while main runs, which the program's exit
 * cuts short (base/background.c). */
static void prepare_for_requests(void)
{
    background_begin();
    /* The first link left its unwind tables unsorted, so that main would
     * not wait for libgcc to sort them (1,000 objects: a millisecond);
     * sorted here, before any reload parks a thread. */
    sort_unwind_tables();
    /* Without a debugger at start, the image for one that may attach later
     * is made here, so that the program's start does not wait for it. */
    publish_debug_image(the_session.program.live);
    if (!background_cancelled())
        finish_first_version();
    if (!background_cancelled()) {
        /* what sessions that died left: a directory read, so not at start */
        char *dir = xasprintf("%.*s", (int)(strrchr(socket_path, '/') - socket_path), socket_path);
        snapshot_remove_stale(dir);
        control_remove_stale(dir);
        xfree(dir);
    }
    background_end();
}

static void *control_thread(void *arg)
{
    int listen_fd = (int)(intptr_t)arg;
    world_runs_no_program_code();
    prepare_for_requests();
    the_session.last_change_ms = now_ms();
    for (;;) {
        if (atomic_load(&control_ending))
            return NULL;
        if (the_session.gdb_reload)
            reload_for_debugger();
        session_refresh_debug_images();
        watch_calls();
        if (!control_awaits_connection(listen_fd, 100)) {
            /* a tenth of a second: the debugger's requests, calls */
            if (now_ms() - the_session.last_change_ms > QUIET_MS)
                compress_idle_images();
            continue;
        }
        int fd = control_accept(listen_fd);
        if (fd < 0) {
            if (errno == EBADF || errno == EINVAL)
                return NULL;
            continue;
        }
        if (!serve_request(fd))
            close(fd);
    }
}

/* At exit the control thread ends, so that the program does not end with
 * a thread it never started: valgrind --leak-check=full counts such a
 * thread's thread-local block as possibly lost, and a project whose
 * tests run under it would fail them all. Work it does ahead of need
 * stops; shutting the socket down wakes its poll; a request it is
 * serving is waited for, a second at most. */
static void end_control(void)
{
    if (!control_runs || pthread_equal(control, pthread_self()))
        return; /* exit called by a function --call runs */
    atomic_store(&control_ending, true);
    background_cancel();
    if (listening >= 0)
        shutdown(listening, SHUT_RDWR);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    control_runs = pthread_timedjoin_np(control, NULL, &until) != 0;
}

static void remove_socket(void)
{
    if (getpid() == server_pid) { /* not in a child that forked */
        end_control();
        unlink(socket_path);
        busy_remove();
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
    busy_init(path);
    /* beside the socket: the same private directory */
    char *dir = xasprintf("%.*s", (int)(strrchr(path, '/') - path), path);
    the_session.program.source_root = xasprintf("%s/sources-%d", dir, (int)server_pid);
    xfree(dir);
    atexit(remove_socket);
    listening = fd;
    processes_arm();
    control_runs = start_joinable_thread(control_thread, (void *)(intptr_t)fd, &control);
    return true;
}

const char *session_socket_path(void)
{
    return socket_path;
}

void session_forget_control(void)
{
    if (listening >= 0)
        close(listening);
    listening = -1;
}
