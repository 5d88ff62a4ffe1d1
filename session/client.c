/* A later invocation of hotld with a session running: the command's side
 * of a request. It sends the request, opens the files the session asks
 * for with its own credentials, puts the session's questions to its user,
 * and prints the answer. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "session.h"
#include "util.h"

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

/* The final reply, after any questions and files asked for; -1 if the
 * exchange broke, CLIENT_GONE if the session closed without a word (it
 * was exiting as it accepted the connection). */
static int receive_reply(int fd, struct message *reply)
{
    await_answer(fd);
    for (bool first = true;; first = false) {
        if (message_recv(fd, reply) < 0)
            return first ? CLIENT_GONE : -1;
        if (reply->nfields && !strcmp(reply->fields[0], "open"))
            open_for_session(fd, reply);
        else if (reply->nfields && !strcmp(reply->fields[0], "ask"))
            put_question(fd, reply);
        else
            return 0;
        message_free(reply);
    }
}

/* Send req on fd and take the final reply; 0, -1 if the exchange broke
 * (said: last_error), or CLIENT_GONE. fd is closed. A session gone is no
 * error of this command's: the socket's own error is dropped, so that it
 * does not stand for the command's own first error (its link's, when it
 * runs the program instead). */
static int exchange(int fd, struct message *req, struct message *reply)
{
    clear_error();
    int got = message_send(fd, req) < 0 ? CLIENT_GONE : receive_reply(fd, reply);
    if (got == CLIENT_GONE)
        clear_error();
    if (got == 0 && reply->nfields < 2) {
        message_free(reply);
        got = fail("a reply of %zu fields", reply->nfields);
    }
    close(fd);
    return got;
}

/* Returns hotld's exit status, -1 if the session says the request is for
 * another program, or CLIENT_GONE. */
static int client_request(int fd, struct message *req)
{
    struct message reply;
    int got = exchange(fd, req, &reply);
    if (got == CLIENT_GONE)
        return CLIENT_GONE;
    if (got < 0) {
        fprintf(stderr, "hotld: error: no answer from the session: %s\n", last_error());
        return 1;
    }
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

void client_say_gone(const char *path)
{
    if (access(path, F_OK) != 0)
        fprintf(stderr, "hotld: error: the session exited before it answered: nothing done\n");
    else /* it lives: it would not talk to this command (another user's) */
        fprintf(stderr, "hotld: error: no answer from the session: it closed the connection\n");
}

int client_reload(int fd, const struct session_options *o)
{
    struct message req = {0};
    reload_request_encode(&req, o);
    int rc = client_request(fd, &req);
    message_free(&req);
    return rc;
}

int client_request_quietly(int fd, struct message *req, char **text)
{
    struct message reply;
    int got = exchange(fd, req, &reply);
    if (got < 0) {
        *text = xstrdup(got == CLIENT_GONE ? "the first process exited before it answered" : last_error());
        return got == CLIENT_GONE ? CLIENT_GONE : 1;
    }
    bool ok = !strcmp(reply.fields[0], "ok");
    *text = xstrdup(reply.fields[1]);
    message_free(&reply);
    return ok ? 0 : 1;
}

int client_status(const char *path, bool vars)
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
    if (rc == CLIENT_GONE)
        client_say_gone(path);
    return rc == CLIENT_GONE ? 1 : rc;
}
