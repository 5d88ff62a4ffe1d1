/* The control channel between a running session and later invocations: a
 * Unix socket in a per-user directory (mode 0700). Messages are framed as
 * a 4-byte length and a body of NUL-separated strings, and may carry one
 * file descriptor (SCM_RIGHTS): a file the requesting command opened. */
#ifndef HOTLD_CONTROL_H
#define HOTLD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CONTROL_MAX_MESSAGE (1u << 20)

/* A session's answer to a request about a program it does not run (one
 * in the same directory, say): the command then runs on its own. */
#define OTHER_PROGRAM "another program"

struct message {
    char **fields;              /* built: each its own block; parsed: in body */
    size_t nfields, cap;
    char *body;                 /* a parsed message's bytes, one block: a
                                   reload's command line has a field per input */
    int fd_plus_one;            /* a descriptor it carries, + 1; 0: none.
                                   message_free closes it */
};

/* Add a field to a message being built (not to one received). */
void message_add(struct message *m, const char *field);
/* Add the field "T:TEXT". */
void message_add_tagged(struct message *m, char tag, const char *text);
void message_free(struct message *m);
int message_send(int fd, const struct message *m);
/* Send m with the descriptor passed along. */
int message_send_fd(int sock, const struct message *m, int passed);
/* The descriptor a message carries, now the caller's; -1 if none. */
int message_take_fd(struct message *m);
/* Returns 0, or -1 with the error recorded (malformed, oversized, EOF). */
int message_recv(int fd, struct message *m);
/* A message body (NUL-terminated fields) into m; -1 if malformed. */
int message_parse(const char *body, size_t len, struct message *m);

/* The socket path of a session: NAME, or the canonical cwd when NULL. */
char *control_socket_path(const char *session);
/* Remove the sockets of forked processes that are gone, in dir. */
void control_remove_stale(const char *dir);
/* The sessions named SESSION.PID (each running copy of one program). */
char **control_instances(const char *session, size_t *n);
/* The byte a session sends first on each connection it accepts. */
#define GREETING 'H'
/* A connected client socket, greeted, or -1 if no session is listening
 * (a stale socket file is removed) or it went away unannounced. */
int control_connect(const char *path);
/* The same, saying nothing on stderr of a wait (a session's own use). */
int control_connect_quietly(const char *path);
/* The same, given up (-1) if the greeting has not come within limit_ms. */
int control_connect_within(const char *path, int limit_ms);
/* A listening socket at path (creating the private directory), or -1. */
int control_listen(const char *path);
/* A file opened by the other end of fd (who: "the requesting command"),
 * asked for with "open" PATH and passed back as "file" with the
 * descriptor; -1, said, if it was not. */
int control_open_remote(int fd, const char *path, const char *who);
/* Waits up to limit_ms for a connection to listen_fd: a quiet point of
 * hotld's thread (forkgate.h). */
bool control_awaits_connection(int listen_fd, int limit_ms);
/* Accept a connection from the same user only; -1 if refused. */
int control_accept(int listen_fd);
/* The same, from user also too (the first process's, in a forked worker
 * that dropped its privileges). */
int control_accept_from(int listen_fd, uid_t also);

#endif
