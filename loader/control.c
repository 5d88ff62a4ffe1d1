#include "control.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "hash.h"
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
    for (size_t i = 0; i < m->nfields; i++)
        free(m->fields[i]);
    free(m->fields);
    *m = (struct message){0};
}

static int write_all(int fd, const void *buf, size_t n)
{
    for (const char *p = buf; n;) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return fail("control socket: write failed: %s", strerror(errno));
        p += w;
        n -= w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
    for (char *p = buf; n;) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return fail("control socket: %s", r ? strerror(errno) : "connection closed");
        p += r;
        n -= r;
    }
    return 0;
}

int message_send(int fd, const struct message *m)
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
    int rc = write_all(fd, body, len + 4);
    free(body);
    return rc;
}

int message_parse(const char *body, size_t len, struct message *m)
{
    *m = (struct message){0};
    if (len && body[len - 1] != 0)
        return fail("malformed control message (unterminated field)");
    for (size_t off = 0; off < len; off += strlen(body + off) + 1)
        message_add(m, body + off);
    return 0;
}

int message_recv(int fd, struct message *m)
{
    uint32_t len;
    *m = (struct message){0};
    if (read_all(fd, &len, 4) < 0)
        return -1;
    if (len > CONTROL_MAX_MESSAGE)
        return fail("control message too large (%u bytes)", len);
    char *body = xmalloc(len + 1);
    int rc = read_all(fd, body, len) < 0 ? -1 : message_parse(body, len, m);
    free(body);
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
    free(dir);
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

int control_connect(const char *path)
{
    struct sockaddr_un sa;
    if (make_address(path, &sa) < 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
        return fd;
    if (errno == ECONNREFUSED)
        unlink(path); /* the session that made it is gone */
    close(fd);
    return -1;
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
    free(dir);
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

int control_accept(int listen_fd)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return -1;
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != getuid()) {
        close(fd);
        return -1;
    }
    /* a client that stalls must not block the session forever */
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}
