#include "control.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "forkgate.h"
#include "hash.h"
#include "strbuf.h"
#include "session.h"
#include "util.h"

void message_add(struct message *m, const char *field)
{
    ARRAY_PUSH(m->fields, m->nfields, m->cap, xstrdup(field));
}

void message_add_tagged(struct message *m, char tag, const char *text)
{
    size_t n = strlen(text);
    char *f = xmalloc(n + 3);
    f[0] = tag;
    f[1] = ':';
    memcpy(f + 2, text, n + 1);
    ARRAY_PUSH(m->fields, m->nfields, m->cap, f);
}

void message_free(struct message *m)
{
    for (size_t i = 0; !m->body && i < m->nfields; i++)
        xfree(m->fields[i]);
    xfree(m->fields);
    xfree(m->body);
    if (m->fd_plus_one)
        close(m->fd_plus_one - 1);
    *m = (struct message){0};
}

int message_take_fd(struct message *m)
{
    int fd = m->fd_plus_one - 1;
    m->fd_plus_one = 0;
    return fd;
}

/* The first byte goes with the descriptor passed, if any (passed >= 0). */
static ssize_t send_some(int fd, const char *p, size_t n, int passed)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct iovec iov = {(void *)p, passed >= 0 ? 1 : n};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    if (passed >= 0) {
        mh.msg_control = control.buf;
        mh.msg_controllen = sizeof control.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &passed, sizeof(int));
    }
    forkgate_wait_begin(); /* for a peer that does not read */
    ssize_t sent = sendmsg(fd, &mh, MSG_NOSIGNAL);
    forkgate_wait_end();
    return sent;
}

static int write_all(int fd, const void *buf, size_t n, int passed)
{
    for (const char *p = buf; n;) {
        ssize_t w = send_some(fd, p, n, passed);
        if (w > 0)
            passed = -1;
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return fail("control socket: write failed: %s", strerror(errno));
        p += w;
        n -= w;
    }
    return 0;
}

/* Keep the first descriptor that comes (in *passed, + 1); close any other,
 * since a peer may send what it likes. */
static void take_descriptors(struct msghdr *mh, int *passed)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            if (*passed == 0)
                *passed = fd + 1;
            else
                close(fd);
        }
    }
}

static int read_all(int fd, void *buf, size_t n, int *passed)
{
    for (char *p = buf; n;) {
        union {
            char buf[CMSG_SPACE(4 * sizeof(int))];
            struct cmsghdr align;
        } control;
        struct iovec iov = {p, n};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                            .msg_controllen = sizeof control.buf};
        forkgate_wait_begin();
        ssize_t r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
        forkgate_wait_end();
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return fail("control socket: %s", r ? strerror(errno) : "connection closed");
        take_descriptors(&mh, passed);
        p += r;
        n -= r;
    }
    return 0;
}

int message_send(int fd, const struct message *m)
{
    return message_send_fd(fd, m, -1);
}

int message_send_fd(int fd, const struct message *m, int passed)
{
    size_t len = 0;
    for (size_t i = 0; i < m->nfields; i++)
        len += strlen(m->fields[i]) + 1;
    if (len > CONTROL_MAX_MESSAGE)
        return fail("control message too large (%zu bytes)", len);
    char *body = xmalloc(len + 4);
    uint32_t n = len;
    memcpy(body, &n, 4);
    char *p = body + 4;
    for (size_t i = 0; i < m->nfields; i++)
        p = stpcpy(p, m->fields[i]) + 1;
    int rc = write_all(fd, body, len + 4, passed);
    xfree(body);
    return rc;
}

/* Takes body, a block of len + 1 bytes, whatever happens. */
static int parse_owned(char *body, size_t len, struct message *m)
{
    *m = (struct message){0};
    if (len && body[len - 1] != 0) {
        xfree(body);
        return fail("malformed control message (unterminated field)");
    }
    m->body = body;
    for (size_t off = 0; off < len; off += strlen(body + off) + 1)
        ARRAY_PUSH(m->fields, m->nfields, m->cap, body + off);
    return 0;
}

int message_parse(const char *body, size_t len, struct message *m)
{
    char *copy = xmalloc(len + 1);
    memcpy(copy, body, len);
    copy[len] = 0;
    return parse_owned(copy, len, m);
}

int message_recv(int fd, struct message *m)
{
    uint32_t len = 0;
    int passed = 0;
    *m = (struct message){0};
    if (read_all(fd, &len, 4, &passed) < 0 || len > CONTROL_MAX_MESSAGE) {
        if (passed)
            close(passed - 1);
        return len > CONTROL_MAX_MESSAGE ? fail("control message too large (%u bytes)", len) : -1;
    }
    char *body = xmalloc(len + 1);
    int rc = read_all(fd, body, len, &passed) < 0 ? (xfree(body), -1) : parse_owned(body, len, m);
    if (rc == 0)
        m->fd_plus_one = passed;
    else if (passed)
        close(passed - 1);
    return rc;
}

/* ${XDG_RUNTIME_DIR:-/tmp}/hotld-UID, private to the user. */
static char *socket_dir(void)
{
    const char *base = getenv("XDG_RUNTIME_DIR");
    if (!base || base[0] != '/')
        base = "/tmp";
    return xasprintf("%s/hotld-%u", base, (unsigned)getuid());
}

char *control_socket_path(const char *session)
{
    char *dir = socket_dir(), *path;
    if (session && session[0] == '/') {
        path = xstrdup(session); /* the socket itself (the gdb helper uses it) */
    } else if (session) {
        path = xasprintf("%s/%.64s.sock", dir, session);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            strcpy(cwd, "/");
        path = xasprintf("%s/cwd-%016llx.sock", dir, (unsigned long long)hash_bytes(cwd, strlen(cwd)));
    }
    xfree(dir);
    return path;
}

static int make_address(const char *path, struct sockaddr_un *sa)
{
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa->sun_path)
        return fail("%s: socket path too long", path);
    strcpy(sa->sun_path, path);
    return 0;
}

/* A forked process's socket, SESSION.sock.PID (follower.c), whose process
 * is gone (it exec'd, or was killed). */
static bool is_orphan(const char *name)
{
    const char *tail = strstr(name, ".sock."), *digits = tail ? tail + 6 : NULL;
    char *end;
    long pid = digits && *digits ? strtol(digits, &end, 10) : 0;
    return pid > 0 && !*end && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* The paths of the sockets bound in dir, as the kernel lists them: a
 * socket file no socket is bound to is one a killed process left. */
static void bound_sockets(const char *dir, struct strmap *bound)
{
    char *text = sb_file_text("/proc/net/unix");
    size_t n = strlen(dir);
    for (char *line = text, *next; line && *line; line = next) {
        next = line + strcspn(line, "\n");
        if (*next)
            *next++ = 0;
        char *path = strchr(line, '/');
        if (path && !strncmp(path, dir, n) && path[n] == '/')
            strmap_slot(bound, xstrdup(path))->value = bound;
    }
    xfree(text);
}

/* Does a session listen at path? Asked only of a socket this network
 * namespace has none bound at: one of another namespace still answers. */
static bool answers(const char *path)
{
    struct sockaddr_un sa;
    int fd = make_address(path, &sa) < 0 ? -1 : socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool refused = fd < 0 || (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EAGAIN);
    if (fd >= 0)
        close(fd);
    return !refused;
}

/* A session's socket (SESSION.sock), or the file that says what keeps
 * one busy (SOCKET.busy, busy.c), that a killed session left: no socket
 * is bound to the socket's path, and the file is older than any session
 * takes between making it and binding (one replacing it makes anew). */
#define SETTLED_SECONDS 60
static bool is_abandoned(const char *path, const struct strmap *bound)
{
    size_t n = strlen(path);
    bool busy = n > 5 && !strcmp(path + n - 5, ".busy");
    char *socket = busy ? xasprintf("%.*s", (int)(n - 5), path) : xstrdup(path);
    bool named = busy || (n > 5 && !strcmp(path + n - 5, ".sock"));
    struct stat st;
    bool stale = named && !strmap_get(bound, socket) && lstat(path, &st) == 0 &&
                 (busy ? S_ISREG(st.st_mode) : S_ISSOCK(st.st_mode)) &&
                 time(NULL) - st.st_mtime > SETTLED_SECONDS && !answers(socket);
    xfree(socket);
    return stale;
}

/* What killed sessions and their processes left behind; each session
 * looks once it has started, so the directory stays small. */
void control_remove_stale(const char *dir)
{
    struct strmap bound = {0};
    bound_sockets(dir, &bound);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char *path = xasprintf("%s/%s", dir, e->d_name);
        if (is_orphan(e->d_name) || is_abandoned(path, &bound))
            unlink(path);
        xfree(path);
    }
    if (d)
        closedir(d);
    strmap_free_owning_keys(&bound);
}

char **control_instances(const char *session, size_t *n)
{
    char *dir = socket_dir();
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t cap = 0, len = strlen(session);
    *n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        const char *rest = e->d_name + len, *end;
        if (strncmp(e->d_name, session, len) || rest[0] != '.' || !(end = strstr(rest, ".sock")) || end[5] ||
            strspn(rest + 1, "0123456789") != (size_t)(end - rest - 1) || end == rest + 1)
            continue;
        char *name = xasprintf("%.*s", (int)(end - e->d_name), e->d_name);
        ARRAY_PUSH(names, *n, cap, name);
    }
    if (d)
        closedir(d);
    xfree(dir);
    return names;
}

/* The session greets each connection it accepts. A session that is
 * exiting has connections queued that it will never accept: they are
 * reset, with no greeting, and the command then finds no session, as it
 * would a moment later, instead of an error for a request never read.
 * A session that closes the connection (it refuses the peer) leaves it
 * to the request to fail, saying so. A session's own connections wait
 * for the greeting at most limit_ms (-1: as long as it takes): the peer
 * may be stopped, or stuck, and its backlog takes the connection all
 * the same. */
static bool greeted(int fd, bool tell_waits, int limit_ms)
{
    char hello = 0;
    if (tell_waits)
        await_answer(fd);
    struct pollfd p = {fd, POLLIN, 0};
    int ready;
    ssize_t n = -1;
    forkgate_wait_begin();
    do
        ready = limit_ms < 0 ? 1 : poll(&p, 1, limit_ms);
    while (ready < 0 && errno == EINTR);
    if (ready > 0)
        do
            n = recv(fd, &hello, 1, 0);
        while (n < 0 && errno == EINTR);
    forkgate_wait_end();
    if ((n == 1 && hello == GREETING) || n == 0)
        return true;
    close(fd);
    return false;
}

static int connect_to(const char *path, bool tell_waits, int limit_ms)
{
    struct sockaddr_un sa;
    if (make_address(path, &sa) < 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    forkgate_wait_begin();
    int rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
    forkgate_wait_end();
    if (rc == 0)
        return greeted(fd, tell_waits, limit_ms) ? fd : -1;
    if (errno == ECONNREFUSED)
        unlink(path); /* the session that made it is gone */
    close(fd);
    return -1;
}

int control_connect(const char *path)
{
    return connect_to(path, true, -1);
}

int control_connect_quietly(const char *path)
{
    return connect_to(path, false, -1);
}

int control_connect_within(const char *path, int limit_ms)
{
    return connect_to(path, false, limit_ms < 0 ? 0 : limit_ms);
}

/* The directory must be ours and private: another user could otherwise
 * plant a socket that our reload requests would be sent to. */
static int check_private_dir(const char *dir)
{
    struct stat st;
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return fail("%s: cannot create: %s", dir, strerror(errno));
    if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
        (st.st_mode & 077))
        return fail("%s: not a private directory of this user (mode must be 0700)", dir);
    return 0;
}

int control_listen(const char *path)
{
    char *dir = xstrdup(path);
    *strrchr(dir, '/') = 0;
    int rc = check_private_dir(dir);
    xfree(dir);
    struct sockaddr_un sa;
    if (rc < 0 || make_address(path, &sa) < 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail("control socket: %s", strerror(errno));
    /* A socket file left by a dead session was removed by control_connect;
     * a live one is not ours to take. */
    mode_t old = umask(077);
    rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (rc < 0 || listen(fd, 8) < 0) {
        close(fd);
        return fail("%s: cannot listen: %s", path, strerror(errno));
    }
    return fd;
}

int control_open_remote(int fd, const char *path, const char *who)
{
    int file = -1;
    struct message q = {0}, a = {0};
    message_add(&q, "open");
    message_add(&q, path);
    if (message_send(fd, &q) < 0 || message_recv(fd, &a) < 0)
        file = fail("%s: %s did not open it: %s", path, who, last_error());
    else if (a.nfields == 1 && !strcmp(a.fields[0], "file") && (file = message_take_fd(&a)) >= 0)
        ;
    else
        file = fail("%s: %s", path, a.nfields == 2 && !strcmp(a.fields[0], "error") ? a.fields[1]
                                                                                    : "malformed answer to 'open'");
    message_free(&q);
    message_free(&a);
    return file;
}

bool control_awaits_connection(int listen_fd, int limit_ms)
{
    struct pollfd p = {listen_fd, POLLIN, 0};
    return forkgate_poll(&p, 1, limit_ms) > 0;
}

int control_accept(int listen_fd)
{
    return control_accept_from(listen_fd, getuid());
}

int control_accept_from(int listen_fd, uid_t also)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return -1;
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || (cred.uid != getuid() && cred.uid != also)) {
        close(fd);
        return -1;
    }
    /* a client that stalls must not block the session forever */
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char hello = GREETING;
    if (send(fd, &hello, 1, MSG_NOSIGNAL) != 1) {
        close(fd);
        return -1;
    }
    return fd;
}
