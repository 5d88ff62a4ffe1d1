/* The executable hotld writes as a build's linker: a copy of hotld that
 * carries the link. The link's arguments (absolute paths) are appended
 * to the copy, after its ELF contents, with a trailer at the very end:
 * the payload's size and a magic word. Running the copy runs hotld with
 * those arguments, as a session named after the executable and the
 * process (running it twice runs two copies, as for any program), and the program
 * gets the copy's argv[0] and arguments, so argv[0] and /proc/self/exe
 * run the program again.
 *
 * Inputs are carried by path, except the compiler's own temporary objects
 * (a one-step `cc x.c -o x`, as configure checks and Meson's sanity check
 * link): they are gone once the link ends, so their bytes are carried,
 * and given to the link as memory files. rustc removes its objects too,
 * but a running copy is reloaded by the next build's link, which must
 * name the same objects: they are kept beside the executable
 * (carried_keep_object). */
#include "carried.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "strbuf.h"
#include "util.h"

static const char magic[8] = {'H', 'O', 'T', 'L', 'D', 'r', 'u', 'n'};
static const char header[] = "hotld-carried 2";
static const char carried_bytes = '\1'; /* starts an entry: NAME, size, bytes */
/* The first argument of the command a carried executable runs: marks it
 * as run already (hotld restarts itself with its own arguments). */
static const char carried_flag[] = "--carried";

struct trailer {
    uint64_t size;
    char magic[8];
};

char *carried_session(const char *exe)
{
    char real[PATH_MAX];
    const char *path = realpath(exe, real) ? real : exe;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    return xasprintf("exe-%.32s-%016llx", base, (unsigned long long)hash_bytes(path, strlen(path)));
}

static int copy_all(int from, int to, const char *out)
{
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(from, buf, sizeof buf)) > 0)
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(to, buf + done, (size_t)(n - done));
            if (w <= 0)
                return fail("%s: cannot write: %s", out, w < 0 ? strerror(errno) : "disk full");
            done += w;
        }
    return n < 0 ? fail("%s: cannot read hotld's own executable: %s", out, strerror(errno)) : 0;
}

/* rustc's objects: each codegen unit's (NAME.HASH.rcgu.o) and those of
 * its temporary directory (rustcXXXXXX/symbols.o), which it removes once
 * the link ends (unless -C save-temps). */
bool carried_made_by_rustc(const char *path)
{
    size_t n = strlen(path);
    const char *slash = strrchr(path, '/'), *dir = slash;
    if (n > 7 && !strcmp(path + n - 7, ".rcgu.o"))
        return true;
    while (dir && dir > path && dir[-1] != '/')
        dir--;
    return dir && slash - dir == 11 && !strncmp(dir, "rustc", 5);
}

/* Is path an object its compiler removes once the link ends, in the
 * temporary directory? */
static bool transient(const char *path)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || tmp[0] != '/')
        tmp = "/tmp";
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/')
        n--;
    return !strncmp(path, tmp, n) && path[n] == '/' && !strchr(path + n + 1, '/') && path[n + 1] != '-';
}

static int add_bytes(struct strbuf *sb, const char *path, const char *out)
{
    struct strbuf bytes = {0};
    if (sb_read_file(&bytes, path) < 0) {
        xfree(bytes.s);
        return fail("%s: cannot read %s: %s", out, path, strerror(errno));
    }
    uint64_t size = bytes.len;
    sb_printf(sb, "%c%s%c", carried_bytes, strrchr(path, '/') + 1, 0);
    sb_append(sb, &size, sizeof size);
    sb_append(sb, bytes.s, bytes.len);
    xfree(bytes.s);
    return 0;
}

static int write_payload(int fd, char *const *args, size_t n, const char *out)
{
    struct strbuf sb = {0};
    sb_append(&sb, header, sizeof header);
    for (size_t i = 0; i < n; i++) {
        if (args[i][0] != '-' && transient(args[i])) {
            if (add_bytes(&sb, args[i], out) < 0) {
                xfree(sb.s);
                return -1;
            }
        } else {
            sb_append(&sb, args[i], strlen(args[i]) + 1);
        }
    }
    struct trailer t = {sb.len, {0}};
    memcpy(t.magic, magic, sizeof magic);
    sb_append(&sb, &t, sizeof t);
    ssize_t w = write(fd, sb.s, sb.len);
    bool whole = w == (ssize_t)sb.len;
    xfree(sb.s);
    return whole ? 0 : fail("%s: cannot write: %s", out, strerror(errno));
}

char *carried_keep_object(const char *out, const char *path)
{
    char *dir = xasprintf("%s.hotld", out);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char *kept = xasprintf("%s/%s", dir, base);
    struct strbuf bytes = {0};
    int rc = mkdir(dir, 0777) < 0 && errno != EEXIST ? fail("%s: cannot make: %s", dir, strerror(errno))
             : sb_read_file(&bytes, path) < 0      ? fail("%s: cannot read: %s", path, strerror(errno))
                                                   : file_replace(kept, bytes.s, bytes.len);
    xfree(bytes.s);
    xfree(dir);
    if (rc < 0)
        xfree(kept);
    return rc < 0 ? NULL : kept;
}

int carried_write(const char *out, char *const *args, size_t n)
{
    char *tmp = xasprintf("%s.hotld-%d", out, (int)getpid());
    mode_t mask = umask(0);
    umask(mask);
    int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0777 & ~mask);
    int rc = self < 0 ? fail("%s: cannot read hotld's own executable: %s", out, strerror(errno))
             : fd < 0 ? fail("%s: cannot create: %s", out, strerror(errno))
                      : 0;
    if (rc == 0)
        rc = copy_all(self, fd, out);
    if (rc == 0)
        rc = write_payload(fd, args, n, out);
    if (fd >= 0 && close(fd) < 0 && rc == 0)
        rc = fail("%s: cannot write: %s", out, strerror(errno));
    if (self >= 0)
        close(self);
    /* a new inode: a running copy of the old executable keeps its own */
    if (rc == 0 && rename(tmp, out) < 0)
        rc = fail("%s: cannot create: %s", out, strerror(errno));
    if (rc < 0)
        unlink(tmp);
    xfree(tmp);
    return rc;
}

/* The payload of the running executable, or NULL (plain hotld). */
static char *read_payload(size_t *size)
{
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    struct trailer t;
    off_t end = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
    char *buf = NULL;
    if (end >= (off_t)sizeof t && pread(fd, &t, sizeof t, end - (off_t)sizeof t) == (ssize_t)sizeof t &&
        !memcmp(t.magic, magic, sizeof magic) && t.size >= sizeof header &&
        t.size <= (uint64_t)(end - (off_t)sizeof t)) {
        buf = xmalloc(t.size + 1);
        if (pread(fd, buf, t.size, end - (off_t)sizeof t - (off_t)t.size) != (ssize_t)t.size ||
            memcmp(buf, header, sizeof header) || buf[t.size - 1]) {
            xfree(buf);
            buf = NULL;
        }
        *size = t.size;
    }
    if (fd >= 0)
        close(fd);
    return buf;
}

/* A carried object, as a memory file its path opens; NULL if the payload
 * is cut short. *at moves past it. Not closed on exec: hotld restarts
 * itself with these paths. */
static char *memory_file(const char *payload, size_t size, size_t *at)
{
    const char *name = payload + *at + 1;
    size_t start = *at + strlen(payload + *at) + 1;
    uint64_t n;
    if (start + sizeof n > size)
        return NULL;
    memcpy(&n, payload + start, sizeof n);
    if (n > size - start - sizeof n)
        return NULL;
    int fd = memfd_create(name, 0);
    if (fd < 0 || write(fd, payload + start + sizeof n, n) != (ssize_t)n)
        return NULL;
    *at = start + sizeof n + n;
    return xasprintf("/proc/self/fd/%d", fd);
}

void carried_args(int *argc, char ***argv)
{
    size_t size;
    char *payload;
    if ((*argc > 1 && !strcmp((*argv)[1], carried_flag)) || !(payload = read_payload(&size)))
        return;
    size_t n = 0;
    for (size_t at = sizeof header; at < size; at += strlen(payload + at) + 1)
        n++; /* an upper bound: carried bytes count as many */
    char **v = xcalloc(n + (size_t)*argc + 8, sizeof *v);
    int k = 0;
    v[k++] = (*argv)[0];
    v[k++] = (char *)carried_flag;
    v[k++] = "--session"; /* each running copy is a session, which the linker finds */
    v[k++] = xasprintf("%s.%d", carried_session("/proc/self/exe"), (int)getpid());
    v[k++] = "--name";
    v[k++] = (*argv)[0];
    for (size_t at = sizeof header; at < size;) {
        if (payload[at] != carried_bytes) {
            v[k++] = payload + at;
            at += strlen(payload + at) + 1;
        } else if (!(v[k++] = memory_file(payload, size, &at))) {
            fprintf(stderr, "hotld: error: %s: its carried link is damaged\n", (*argv)[0]);
            exit(1);
        }
    }
    v[k++] = "--";
    for (int i = 1; i < *argc; i++)
        v[k++] = (*argv)[i];
    v[k] = NULL;
    *argc = k;
    *argv = v;
}

bool carried_flag_is(const char *arg)
{
    return !strcmp(arg, carried_flag);
}
