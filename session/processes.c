/* A reload reaches every process that runs the image: the first one and
 * each forked from it (children.c, follower.c), all or none.
 *
 * The first process applies the reload as always. When it is ready to
 * commit, its threads parked (pg->agree), it asks every other process to
 * prepare the same reload (the same inputs, options and answers), and
 * waits until each is ready, with its own threads parked, or has failed.
 * Only if all are ready does each commit; otherwise each gives the reload
 * up, and the error names the process and its reason. A process that
 * exits meanwhile is no longer one to wait for. A crash's rollback is
 * such a reload too: each process puts back its own previous versions
 * ("rollback" in place of "prepare" and the request). What cannot be made
 * atomic: a commit that fails after every process agreed (it has not
 * happened outside fault injection); the report then names the process
 * and says it runs the earlier code. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "forkgate.h"
#include "session.h"
#include "strbuf.h"
#include "util.h"

enum follower_state { ASKED, READY, FAILED, GONE, COMMITTED, DONE };

struct follower {
    pid_t pid;
    int fd;
    enum follower_state state;
    char *said;                 /* its error, or its report */
};

/* The reload under way in this process. */
static struct {
    struct link_options *opts;  /* as applied here */
    bool remember;              /* its inputs become the program's */
    bool rollback;              /* a crash's rollback */
    char (*ask)(void *ctx, const char *question, const char *choices); /* the user's */
    void *ask_ctx;
    struct strmap answers;      /* question -> the user's answer, + 1 */
    struct follower *f;
    size_t n, cap;
    double patience_ms;         /* from the first question to the deadline */
    double deadline;            /* for every process to be ready, in now_ms() */
} this_reload;

/* Each question the user answers is remembered: the other processes get
 * the same answer to the same question. */
static char remembered_ask(void *ctx, const char *question, const char *choices)
{
    (void)ctx;
    uintptr_t known = (uintptr_t)strmap_get(&this_reload.answers, question);
    if (known)
        return (char)(known - 1);
    char letter = this_reload.ask ? this_reload.ask(this_reload.ask_ctx, question, choices) : 0;
    strmap_slot(&this_reload.answers, xstrdup(question))->value = (void *)((uintptr_t)(unsigned char)letter + 1);
    return letter;
}

void processes_begin(struct link_options *opts, bool remember)
{
    this_reload.opts = opts;
    this_reload.remember = remember;
    this_reload.rollback = false;
    this_reload.ask = opts->ask;
    this_reload.ask_ctx = opts->ask_ctx;
    opts->ask = remembered_ask;
    opts->ask_ctx = NULL;
}

void processes_begin_rollback(void)
{
    static struct link_options rollback; /* no inputs: each process has its own versions */
    rollback.reload_timeout_ms = the_session.program.reload_timeout_ms;
    processes_begin(&rollback, false);
    this_reload.rollback = true;
}

static void send_word(int fd, const char *word)
{
    struct message m = {0};
    message_add(&m, word);
    message_send(fd, &m);
    message_free(&m);
}

/* Connect to a process and ask it to prepare this reload. */
static void ask_to_prepare(pid_t pid, bool listening, void *ctx)
{
    (void)ctx;
    struct follower f = {pid, -1, FAILED, NULL};
    char *path = child_socket_path(pid);
    f.fd = listening && path ? control_connect_within(path, (int)(this_reload.deadline - now_ms())) : -1;
    xfree(path);
    if (f.fd < 0 && !children_runs_the_image(pid)) {
        f.state = GONE; /* it exited, or exec'd, just now */
    } else if (f.fd < 0) {
        f.said = xstrdup(listening ? "hotld's control socket in it does not answer (is the process stopped, "
                                     "or did it close its file descriptors?)" : "it could not listen on a control socket");
    } else {
        struct message m = {0};
        message_add(&m, this_reload.rollback ? "rollback" : "prepare");
        if (!this_reload.rollback) {
            message_add(&m, this_reload.opts->only_changed ? "o:1" : "o:0");
            message_add(&m, this_reload.remember ? "m:1" : "m:0");
            reload_options_encode(&m, this_reload.opts);
        }
        f.state = message_send(f.fd, &m) == 0 ? ASKED : children_runs_the_image(pid) ? FAILED : GONE;
        if (f.state == FAILED)
            f.said = xstrdup(last_error());
        message_free(&m);
    }
    ARRAY_PUSH(this_reload.f, this_reload.n, this_reload.cap, f);
}

/* A process that closed its side: gone if it no longer runs the image
 * (it exited, or exec'd), else failed. */
static void went_quiet(struct follower *f)
{
    f->state = children_runs_the_image(f->pid) ? FAILED : GONE;
    if (f->state == FAILED)
        f->said = xstrdup("it ended its part of the reload without a word");
}

/* A process's error, as it said it (or could not say it). */
static void failed_with(struct follower *f, const struct message *m)
{
    f->state = FAILED;
    f->said = xstrdup(m->nfields == 2 ? m->fields[1] : "a malformed answer");
}

/* May a follower have path opened for it? Only what this reload reads:
 * its inputs, and files in its -L directories (a worker that dropped its
 * privileges must not read through the first process what it cannot). */
static bool is_input(const char *path)
{
    const struct link_options *o = this_reload.opts;
    for (size_t i = 0; i < o->ninputs; i++)
        if (!strcmp(o->inputs[i].arg, path))
            return true;
    const char *slash = strrchr(path, '/');
    for (size_t i = 0; slash && i < o->nlibdirs; i++)
        if (strlen(o->libdirs[i]) == (size_t)(slash - path) && !strncmp(o->libdirs[i], path, (size_t)(slash - path)))
            return true;
    return false;
}

static void open_for(struct follower *f, const char *path)
{
    struct message a = {0};
    int file = is_input(path) ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (file >= 0) {
        message_add(&a, "file");
        message_send_fd(f->fd, &a, file);
        close(file);
    } else {
        message_add(&a, "error");
        message_add(&a, is_input(path) ? strerror(errno) : "not an input of this reload");
        message_send(f->fd, &a);
    }
    message_free(&a);
}

/* One message from a process asked to prepare: its readiness, its error,
 * a question for the user, or an input to open. */
static void hear(struct follower *f)
{
    struct message m = {0};
    if (message_recv(f->fd, &m) < 0) {
        went_quiet(f); /* it exited: it runs nothing */
    } else if (m.nfields == 3 && !strcmp(m.fields[0], "ask")) {
        char answer[2] = {remembered_ask(NULL, m.fields[1], m.fields[2]), 0};
        struct message a = {0};
        message_add(&a, "answer");
        message_add(&a, answer);
        message_send(f->fd, &a);
        message_free(&a);
    } else if (m.nfields == 2 && !strcmp(m.fields[0], "open")) {
        open_for(f, m.fields[1]);
    } else if (m.nfields == 1 && !strcmp(m.fields[0], "ready")) {
        f->state = READY;
    } else {
        failed_with(f, &m);
    }
    message_free(&m);
}

static size_t still_asked(struct pollfd *pfd, struct follower **who)
{
    size_t n = 0;
    for (size_t i = 0; i < this_reload.n; i++)
        if (this_reload.f[i].state == ASKED) {
            pfd[n] = (struct pollfd){this_reload.f[i].fd, POLLIN, 0};
            who[n++] = &this_reload.f[i];
        }
    return n;
}

/* Until every process asked is ready, failed or gone, or time is up. */
static void await_readiness(void)
{
    struct pollfd *pfd = xcalloc(this_reload.n + 1, sizeof *pfd);
    struct follower **who = xcalloc(this_reload.n + 1, sizeof *who);
    for (size_t n; (n = still_asked(pfd, who)) > 0;) {
        /* past the deadline (a process that never greeted took it), the
         * answers already there still count: the stuck one is to blame */
        int left = (int)(this_reload.deadline - now_ms());
        if (forkgate_poll(pfd, n, left > 0 ? left : 0) <= 0)
            break;
        for (size_t i = 0; i < n; i++)
            if (pfd[i].revents)
                hear(who[i]);
    }
    for (size_t i = 0; i < this_reload.n; i++)
        if (this_reload.f[i].state == ASKED) {
            this_reload.f[i].state = FAILED;
            this_reload.f[i].said = xasprintf("no answer within %.0f s", this_reload.patience_ms / 1000);
        }
    xfree(pfd);
    xfree(who);
}

/* pg->agree in the first process. */
static int agree_all(void)
{
    struct program *pg = &the_session.program;
    if (!this_reload.opts)
        return 0; /* a rollback after a crash with no session: of this process alone */
    int timeout = this_reload.opts->reload_timeout_ms ? this_reload.opts->reload_timeout_ms : pg->reload_timeout_ms;
    if (children_unreached())
        return fail("%u processes forked from the program found no room in its table of processes, and "
                    "would not be reloaded: restart the program", children_unreached());
    char *unknown = children_unregistered();
    if (unknown) {
        fail("processes %s run the program's image but were not made by fork() (clone() without its "
             "handlers): hotld cannot reach them; no process changed", unknown);
        xfree(unknown);
        return -1;
    }
    this_reload.patience_ms = 2.0 * timeout + 10000; /* its hotld_poll(), its park, its link */
    this_reload.deadline = now_ms() + this_reload.patience_ms;
    children_each(ask_to_prepare, NULL);
    await_readiness();
    const struct follower *failed = NULL;
    for (size_t i = 0; i < this_reload.n && !failed; i++)
        if (this_reload.f[i].state == FAILED)
            failed = &this_reload.f[i];
    for (size_t i = 0; i < this_reload.n; i++)
        if (this_reload.f[i].state == READY) {
            send_word(this_reload.f[i].fd, failed ? "abort" : "commit");
            this_reload.f[i].state = failed ? ASKED : COMMITTED; /* an aborted one still says it is done */
        }
    clear_error(); /* a process's own words say why, not how talking to it went */
    if (failed)
        return fail("process %d, forked from the program, cannot apply it: %s; no process changed",
                    (int)failed->pid, failed->said);
    return 0;
}

void processes_arm(void)
{
    the_session.program.agree = agree_all;
    the_session.program.roll_back = session_roll_back_all;
}

/* The end of a committed process's reload: its report, or its error. */
static void hear_outcome(struct follower *f)
{
    struct message m = {0};
    if (message_recv(f->fd, &m) < 0) {
        went_quiet(f);
    } else if (m.nfields == 2 && !strcmp(m.fields[0], "done")) {
        f->state = DONE;
    } else {
        failed_with(f, &m);
    }
    message_free(&m);
}

/* What each process made of the reload, once all committed or gave up:
 * "hotld: reloaded in 3 processes: 4101 (this one), 4102, 4103"; a
 * rollback's report may be printed by another process (the one that
 * crashed): "hotld: rolled back in 3 processes: 4101 (the first), ...". */
static void tell(char **report)
{
    struct strbuf line = {0}, trouble = {0};
    size_t reached = 1;
    sb_printf(&line, "%d (%s)", (int)getpid(), this_reload.rollback ? "the first" : "this one");
    for (size_t i = 0; i < this_reload.n; i++) {
        struct follower *f = &this_reload.f[i];
        if (f->state != COMMITTED)
            continue;
        hear_outcome(f);
        if (f->state == FAILED)
            sb_printf(&trouble, "\nhotld: warning: process %d failed to commit the %s every process had "
                                "prepared, and runs the code it ran before: %s", (int)f->pid,
                      this_reload.rollback ? "rollback" : "reload", f->said);
        else if (f->state != GONE)
            sb_printf(&line, ", %d", (int)f->pid), reached++;
    }
    if (*report && (reached > 1 || trouble.s)) {
        char *all = xasprintf("%s\nhotld: %s in %zu process%s: %s%s", *report,
                              this_reload.rollback ? "rolled back" : "reloaded", reached,
                              reached == 1 ? "" : "es", line.s, trouble.s ? trouble.s : "");
        xfree(*report);
        *report = all;
    }
    xfree(line.s);
    xfree(trouble.s);
}

void processes_end(char **report)
{
    if (report)
        tell(report);
    for (size_t i = 0; i < this_reload.n; i++) {
        if (this_reload.f[i].state == ASKED || this_reload.f[i].state == COMMITTED) /* until it has resumed */
            hear_outcome(&this_reload.f[i]);
        if (this_reload.f[i].fd >= 0)
            close(this_reload.f[i].fd);
        xfree(this_reload.f[i].said);
    }
    this_reload.n = 0;
    this_reload.opts->ask = this_reload.ask;
    this_reload.opts->ask_ctx = this_reload.ask_ctx;
    this_reload.opts = NULL;
    strmap_free_owning_keys(&this_reload.answers);
}

static void list_pid(pid_t pid, bool listening, void *ctx)
{
    sb_printf(ctx, ", %d%s", (int)pid, listening ? "" : " (unreachable)");
}

void processes_status(struct strbuf *sb)
{
    struct strbuf pids = {0};
    if (children_each(list_pid, &pids))
        sb_printf(sb, "  processes: %d (this one)%s\n", (int)getpid(), pids.s);
    xfree(pids.s);
}
