/* A process forked from the program follows the first process's reloads.
 * From its fork on (children.c) it listens on a control socket of its
 * own, SOCKET.PID, served by one thread of hotld's, and takes part in
 * every reload the first process applies (processes.c):
 *   <- "prepare" "o:ONLY-CHANGED" "m:REMEMBER" and a reload request's
 *      fields: the reload is applied here as there, up to its commit,
 *      with this process's threads parked;
 *   -> "ready"; <- "commit" or "abort";
 *   -> "done" REPORT, or "error" TEXT, which also answers a prepare that
 *      fails before it is ready.
 * A question about a variable (--on-conflict=ask) goes to the first
 * process as "ask" QUESTION CHOICES; the answer comes back as "answer" L.
 * The socket also answers questions about this process (hotld --pid N
 * --print, --call, --repl, --status), as the first process's does.
 * gdb's 'hotld reload' in a process it follows asks the first process
 * for the reload, as a second terminal would, and this process follows
 * it like any other.
 * Each process applies the reload to its own state: its own values are
 * kept, migrated or reset as they are. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "control.h"
#include "forkgate.h"
#include "session.h"
#include "util.h"

static int listen_fd = -1;
static int leader_fd = -1;      /* the first process's, during a reload */
static uid_t leader_uid;        /* the first process's user, kept at fork */
static atomic_uint followed;    /* reloads this process took part in */
static atomic_bool asking;      /* a debugger's reload is being asked for */

static void send_fields(int fd, const char *a, const char *b)
{
    struct message m = {0};
    message_add(&m, a);
    if (b)
        message_add(&m, b);
    message_send(fd, &m);
    message_free(&m);
}

/* pg->agree in a follower: ready; the first process decides. */
static int agree_with_leader(void)
{
    if (leader_fd < 0)
        return 0; /* a rollback after a crash: of this process alone */
    struct message m = {0};
    send_fields(leader_fd, "ready", NULL);
    int rc = message_recv(leader_fd, &m) == 0 && m.nfields == 1 && !strcmp(m.fields[0], "commit")
                 ? 0
                 : fail("the first process (pid %d) gave the reload up", (int)getppid());
    message_free(&m);
    return rc;
}

static char ask_leader(void *ctx, const char *question, const char *choices)
{
    int fd = *(int *)ctx;
    struct message q = {0}, a = {0};
    message_add(&q, "ask");
    message_add(&q, question);
    message_add(&q, choices);
    char letter = 0;
    if (message_send(fd, &q) == 0 && message_recv(fd, &a) == 0 && a.nfields == 2 &&
        !strcmp(a.fields[0], "answer") && strlen(a.fields[1]) == 1)
        letter = a.fields[1][0];
    message_free(&q);
    message_free(&a);
    return letter;
}

/* A reload's input this process may not read is opened by the first
 * process and passed here: a worker that dropped its privileges (nginx's,
 * Apache's, run as nobody) may not read the objects its master was
 * started from. */
static int open_through_leader(void *ctx, const char *path)
{
    int file = open(path, O_RDONLY | O_CLOEXEC);
    if (file >= 0 || (errno != EACCES && errno != EPERM))
        return file >= 0 ? file : fail("%s: %s", path, strerror(errno));
    return control_open_remote(*(int *)ctx, path, "the first process");
}

/* This process's part ended with rc (0: it found nothing to do, an
 * error that says nothing_done): say so to the first process. */
static void tell_leader(int fd, int rc, char *report, const char *nothing_done)
{
    if (rc == 0)
        rc = fail("%s", nothing_done);
    send_fields(fd, rc < 0 ? "error" : "done", rc < 0 ? last_error() : report);
    xfree(report);
}

/* A prepare: apply the reload it describes, and say how it ended. */
static void follow(int fd, const struct message *m)
{
    struct link_options opts = {.ask = ask_leader, .ask_ctx = &fd, .open_file = open_through_leader, .open_ctx = &fd};
    opts.entry = the_session.program.live->opts->entry;
    opts.only_changed = !strcmp(m->fields[1], "o:1");
    bool remember = !strcmp(m->fields[2], "m:1");
    struct message request = {.fields = m->fields + 2, .nfields = m->nfields - 2}; /* decoding skips its first */
    char *report = NULL;
    clear_error();
    leader_fd = fd;
    int rc = reload_request_decode(&request, &opts) < 0 ? -1 : session_follow(&opts, remember, &report);
    leader_fd = -1;
    tell_leader(fd, rc, report,
                "this process found nothing to reload: its inputs or state differ from the first process's");
    atomic_fetch_add(&followed, 1);
    xfree(opts.inputs);
    xfree(opts.libdirs);
    xfree(opts.reset);
}

/* A rollback the first process asks for (a crash here or elsewhere). */
static void follow_rollback(int fd)
{
    char *report = NULL;
    clear_error();
    leader_fd = fd;
    int rc = session_follow_rollback(&report);
    leader_fd = -1;
    tell_leader(fd, rc, report, "this process found nothing to roll back: its state differs from the first process's");
}

/* pg->roll_back here, for a crash in this process: the first process
 * rolls back every process, this one too. The lock is given up
 * meanwhile: this process's part takes it. Should the first process be
 * gone, this one rolls back alone, and says so. */
static int roll_back_through_leader(struct program *pg, char **report)
{
    struct message req = {0};
    message_add(&req, "rollback");
    pthread_mutex_unlock(&pg->lock);
    int fd = control_connect_quietly(session_socket_path());
    int rc = fd < 0 ? CLIENT_GONE : client_request_quietly(fd, &req, report);
    forkgate_lock(&pg->lock);
    message_free(&req);
    if (rc == 0)
        return 1;
    if (rc != CLIENT_GONE) {
        fail("the first process could not roll back every process: %s", *report);
        xfree(*report);
        *report = NULL;
        return -1;
    }
    xfree(*report);
    *report = NULL;
    warn("the first process does not answer: this process (%d) rolls back alone", (int)getpid());
    return reload_rollback(pg, report);
}

/* 'hotld reload' in gdb, in this process: the first process is asked,
 * with the program's own inputs, from a thread of its own (the follower
 * thread must be free to take the prepare). A reload this process took
 * part in has told the helper it is over (finish, in reloads.c); one that
 * never reached it (an error, nothing changed) tells it here. */
static void *ask_for_debugger(void *arg)
{
    (void)arg;
    struct program *pg = &the_session.program;
    struct message req = {0};
    forkgate_lock(&pg->lock);
    struct session_options o = {.link = *pg->live->opts, .argc = the_session.nargs, .argv = the_session.args};
    o.link.inputs = pg->current_inputs;
    o.link.ninputs = pg->ncurrent_inputs;
    reload_request_encode(&req, &o);
    pthread_mutex_unlock(&pg->lock);
    unsigned before = atomic_load(&followed);
    int fd = control_connect_quietly(session_socket_path());
    char *text = NULL;
    int rc = fd < 0 ? (text = xstrdup("the first process does not answer"), 1)
                    : client_request_quietly(fd, &req, &text);
    message_free(&req);
    if (atomic_load(&followed) == before) {
        forkgate_lock(&pg->lock);
        xfree(pg->last_report);
        pg->last_report = rc == 0 ? text : xasprintf("hotld: error: reload failed: %s", text);
        if (rc == 0)
            text = NULL;
        pthread_mutex_unlock(&pg->lock);
        hotld_reload_done(rc == 0 ? 0 : -1);
    }
    xfree(text);
    atomic_store(&asking, false);
    return NULL;
}

/* The debugger's flag is looked at between connections, as the first
 * process's control thread does. */
static void look_at_debugger(void)
{
    if (!the_session.gdb_reload || atomic_exchange(&asking, true))
        return;
    the_session.gdb_reload = 0;
    start_thread(ask_for_debugger, NULL);
}

static void *follower_thread(void *arg)
{
    (void)arg;
    for (;;) {
        look_at_debugger();
        session_refresh_debug_images();
        if (!control_awaits_connection(listen_fd, 100))
            continue;
        int fd = control_accept_from(listen_fd, leader_uid);
        if (fd < 0)
            continue;
        /* a reload waits as long as the first process does */
        struct timeval forever = {0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof forever);
        struct message m;
        bool handed_over = false;
        clear_error();
        if (message_recv(fd, &m) == 0 && m.nfields >= 3 && !strcmp(m.fields[0], "prepare"))
            follow(fd, &m);
        else if (m.nfields == 1 && !strcmp(m.fields[0], "rollback"))
            follow_rollback(fd);
        else if (m.nfields > 0) /* a question about this process: --pid */
            handed_over = serve_message(fd, &m, false);
        message_free(&m);
        if (!handed_over)
            close(fd);
    }
    return NULL;
}

static void remove_own_socket(void)
{
    char *path = child_socket_path(getpid());
    if (path && listen_fd >= 0) {
        unlink(path);
        busy_remove();
    }
    xfree(path);
}

int follower_start(void)
{
    char *path = child_socket_path(getpid());
    if (!path)
        return -1;
    session_forget_control(); /* the first process's socket is its own */
    unlink(path);             /* left by a process of this pid that is gone */
    listen_fd = control_listen(path);
    busy_init(path);
    xfree(path);
    leader_uid = getuid();
    if (listen_fd < 0)
        return -1;
    atexit(remove_own_socket);
    poll_forget_jobs();
    the_session.program.agree = agree_with_leader;
    the_session.program.roll_back = roll_back_through_leader;
    start_thread(follower_thread, NULL);
    return 0;
}
