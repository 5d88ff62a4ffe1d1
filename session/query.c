/* Questions about a program's image (query.h): their encoding on the
 * control channel, their answers from a link's records, and the
 * command's side, which asks a session or, without one, answers itself. */
#include "query.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "forkgate.h"
#include "inspect.h"
#include "session.h"
#include "util.h"

void query_encode(const struct query *q, struct message *m)
{
    message_add(m, "query");
    message_add(m, q->command);
    if (q->arg)
        message_add_tagged(m, 'a', q->arg);
    if (q->json)
        message_add_tagged(m, 'j', "1");
    if (q->top) {
        char n[24];
        snprintf(n, sizeof n, "%zu", q->top);
        message_add_tagged(m, 't', n);
    }
    if (q->graph)
        message_add_tagged(m, 'g', q->graph);
    if (q->call_timeout_ms) {
        char ms[24];
        snprintf(ms, sizeof ms, "%u", q->call_timeout_ms);
        message_add_tagged(m, 'T', ms);
    }
    for (size_t i = 0; q->program && i < q->program->ninputs; i++)
        if (!q->program->inputs[i].is_lib)
            message_add_tagged(m, 'f', q->program->inputs[i].arg);
}

int query_decode(const struct message *m, struct query *q)
{
    static const char *const commands[] = {"sizes", "refs", "eval", "names", "fields"};
    *q = (struct query){0};
    if (m->nfields < 2)
        return fail("query: no command");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        if (!strcmp(m->fields[1], commands[i]))
            q->command = commands[i];
    if (!q->command)
        return fail("query: unknown command '%.40s'", m->fields[1]);
    for (size_t i = 2; i < m->nfields; i++) {
        const char *f = m->fields[i], *v = f + 2;
        if (f[0] == 0 || f[1] != ':')
            return fail("query: malformed field %zu", i);
        if (f[0] == 'a')
            q->arg = v;
        else if (f[0] == 'j')
            q->json = true;
        else if (f[0] == 't')
            q->top = strtoul(v, NULL, 10);
        else if (f[0] == 'g' && (!strcmp(v, "svg") || !strcmp(v, "dot")))
            q->graph = v;
        else if (f[0] == 'T')
            q->call_timeout_ms = (unsigned)strtoul(v, NULL, 10);
        else if (f[0] == 'f')
            continue; /* the command's files: the session checks them */
        else
            return fail("query: unknown field '%c'", f[0]);
    }
    if ((q->command[0] == 'r' || q->command[0] == 'e' || q->command[0] == 'f') && !q->arg)
        return fail("query: %s needs an argument", q->command);
    return 0;
}

static int image_query(const struct query *q, struct link *ld, struct strbuf *text, struct strbuf *doc)
{
    size_t n;
    struct object **objs = link_current_objects(ld, &n);
    struct inspect_options o = {q->json, q->top};
    int rc = 0;
    if (q->command[0] == 's') {
        inspect_sizes(objs, n, &o, text);
        if (q->graph)
            inspect_sizes_svg(objs, n, doc);
    } else {
        rc = inspect_refs(objs, n, q->arg, &o, text);
        if (rc == 0 && q->graph)
            rc = !strcmp(q->graph, "dot") ? inspect_refs_dot(objs, n, q->arg, doc)
                                          : inspect_refs_svg(objs, n, q->arg, doc);
    }
    xfree(objs);
    return rc;
}

int query_answer(const struct query *q, const struct eval_target *t, struct strbuf *text, struct strbuf *doc)
{
    if (!strcmp(q->command, "eval"))
        return inspect_eval(t, q->arg, q->json, text);
    if (!strcmp(q->command, "names")) {
        inspect_names(t, text);
        return 0;
    }
    if (!strcmp(q->command, "fields")) {
        inspect_fields(t, q->arg, text);
        return 0;
    }
    if (t->lock)
        forkgate_lock(t->lock);
    int rc = image_query(q, t->link, text, doc);
    if (t->lock)
        pthread_mutex_unlock(t->lock);
    return rc;
}

/* ---- the command's side ------------------------------------------------ */

/* Ctrl-C while the session answers: a call that does not return is
 * interrupted (the session sees this side shut), and the answer, which
 * says so, still comes back. A second Ctrl-C ends the command. */
static volatile sig_atomic_t asking_fd = -1;

static void stop_asking(int sig)
{
    if (asking_fd >= 0)
        shutdown(asking_fd, SHUT_WR);
    asking_fd = -1;
    struct sigaction dfl = {.sa_handler = SIG_DFL}; /* a second Ctrl-C ends the command */
    sigaction(sig, &dfl, NULL);
}

static int ask_session(int fd, struct message *req, struct message *reply)
{
    struct sigaction sa = {.sa_handler = stop_asking, .sa_flags = SA_RESTART}, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    asking_fd = fd;
    int rc = message_send(fd, req);
    if (rc == 0)
        await_answer(fd);
    rc = rc < 0 || message_recv(fd, reply) < 0 ? -1 : 0;
    asking_fd = -1;
    sigaction(SIGINT, &old, NULL);
    return rc;
}

int query_remote(const char *socket_path, const struct query *q, struct strbuf *text, struct strbuf *doc)
{
    int fd = control_connect(socket_path);
    if (fd < 0)
        return q->program ? QUERY_NOT_ASKED : fail("no session is running for %s", socket_path);
    struct message req = {0}, reply = {0};
    query_encode(q, &req);
    int rc = ask_session(fd, &req, &reply);
    close(fd);
    if (rc == 0 && reply.nfields == 2 && !strcmp(reply.fields[0], "error") &&
        !strcmp(reply.fields[1], OTHER_PROGRAM))
        rc = QUERY_NOT_ASKED;
    else if (rc == 0 && (reply.nfields < 2 || strcmp(reply.fields[0], "ok")))
        rc = fail("%s", reply.nfields >= 2 ? reply.fields[1] : "malformed answer from the session");
    if (rc == 0) {
        sb_printf(text, "%s", reply.fields[1]);
        if (reply.nfields > 2)
            sb_printf(doc, "%s", reply.fields[2]);
    }
    message_free(&req);
    message_free(&reply);
    return rc;
}

static int remote(void *ctx, const struct query *q, struct strbuf *text, struct strbuf *doc)
{
    return query_remote(ctx, q, text, doc);
}

static int local(void *ctx, const struct query *q, struct strbuf *text, struct strbuf *doc)
{
    struct eval_target t = {ctx, NULL, thread_pointer(), NULL, NULL}; /* this is the main thread */
    return query_answer(q, &t, text, doc);
}

/* The files as they are, not linked: the objects, and the members of the
 * archives. Nothing needs to resolve, so any subset of a program works. */
static struct link *read_files(const struct link_options *opts)
{
    struct link *ld = link_new(opts);
    for (size_t i = 0; i < opts->ninputs; i++) {
        const struct link_input *in = &opts->inputs[i];
        if ((in->is_lib ? link_add_lib(ld, in->arg) : link_add_path(ld, in->arg, false, false)) < 0)
            return NULL;
    }
    return link_add_all_members(ld) < 0 ? NULL : ld;
}

/* Linked and loaded, constructors run, for values and calls. */
static struct link *load_files(const struct link_options *opts)
{
    static struct link_options o; /* the link keeps pointing at them */
    o = *opts;
    o.entry = NULL; /* main is not needed, nor run */
    struct link *ld = link_new(&o);
    if (link_load(ld) < 0)
        return NULL;
    run_init(ld->image, 1, (char *[]){"hotld", NULL}, environ);
    return ld;
}

/* The drawing, to file ("-": standard output). */
static int write_graph(const char *file, const struct strbuf *doc)
{
    if (!strcmp(file, "-"))
        return fwrite(doc->s ? doc->s : "", 1, doc->len, stdout) == doc->len ? 0 : 1;
    FILE *f = fopen(file, "w");
    bool written = f && fwrite(doc->s ? doc->s : "", 1, doc->len, f) == doc->len;
    if (f && fclose(f) != 0)
        written = false;
    if (!written)
        fprintf(stderr, "hotld: error: %s: %s\n", file, strerror(errno));
    return written ? 0 : 1;
}

/* Values and calls need the program loaded; the REPL (no command) too. */
static bool needs_image(const struct query *q)
{
    return !q->command || !strcmp(q->command, "eval") || !strcmp(q->command, "names") ||
           !strcmp(q->command, "fields");
}

/* With files, is the session at socket_path running them? A prompt asks
 * before its first line; the question it asks (the program's names) is
 * the cheapest the session answers. */
static bool session_runs(const char *socket_path, const struct link_options *opts)
{
    struct query names = {.command = "names", .program = opts};
    struct strbuf text = {0}, doc = {0};
    int rc = query_remote(socket_path, &names, &text, &doc);
    xfree(text.s);
    xfree(doc.s);
    clear_error();
    return rc != QUERY_NOT_ASKED;
}

/* The files as the question needs them: read, or linked and loaded. */
static struct link *open_files(const struct query *q, const struct link_options *opts)
{
    struct link *ld = needs_image(q) ? load_files(opts) : read_files(opts);
    if (!ld)
        fprintf(stderr, "hotld: error: %s\n", last_error());
    return ld;
}

static int repl_main(const struct query *q, const char *socket_path, const struct link_options *opts)
{
    struct link *ld = NULL;
    if (q->program && !session_runs(socket_path, opts) && !(ld = open_files(q, opts)))
        return 1;
    return ld ? repl_run(local, ld, q->call_timeout_ms) : repl_run(remote, (void *)socket_path, q->call_timeout_ms);
}

int query_main(const struct query *asked, const char *graph_file, const char *socket_path,
               const struct link_options *opts)
{
    struct query q = *asked;
    q.program = opts->ninputs ? opts : NULL;
    if (!q.command)
        return repl_main(&q, socket_path, opts);
    struct strbuf text = {0}, doc = {0};
    clear_error();
    /* one round trip: the session answers, or says the files are not of
     * its program (or none runs), and the files answer */
    int rc = query_remote(socket_path, &q, &text, &doc);
    if (rc == QUERY_NOT_ASKED) {
        struct link *ld = open_files(&q, opts);
        if (!ld)
            return 1;
        rc = local(ld, &q, &text, &doc);
    }
    if (rc < 0)
        fprintf(stderr, "hotld: error: %s\n", last_error());
    else if (!graph_file || q.table)
        fputs(text.s ? text.s : "", stdout);
    if (rc == 0 && graph_file && write_graph(graph_file, &doc))
        rc = -1;
    xfree(text.s);
    xfree(doc.s);
    fflush(stdout);
    /* a loaded image's program may have threads and destructors: leave
     * as a linked program's exit would */
    return rc < 0 ? 1 : 0;
}
