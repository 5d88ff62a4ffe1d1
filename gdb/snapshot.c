#define _XOPEN_SOURCE 700 /* nftw */
#include "snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "background.h"
#include "util.h"

/* A source is copied only if it is a regular file. One compiled from
 * /dev/stdin names the program's own input, which a read here would take
 * from it; one compiled from a named pipe names a pipe whose open would
 * wait for a writer that never comes (O_NONBLOCK: it does not). */
static int open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        return -1;
    }
    return fd;
}

static void copy_file(const char *from, const char *to)
{
    int in = open_regular(from), out;
    char buf[65536];
    ssize_t n;
    if (in < 0)
        return; /* a generated or moved source, or not a file: nothing to keep */
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    while (out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, n) != n)
            break;
    if (out >= 0)
        close(out);
    close(in);
}

void snapshot_sources(const char *root, unsigned version, const struct source_list *l)
{
    if (!root || !l->n)
        return;
    char *dir = xasprintf("%s/v%u", root, version);
    mkdir(root, 0700);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        xfree(dir);
        return;
    }
    for (size_t i = 0; i < l->n && !background_cancelled(); i++) {
        const char *base = strrchr(l->paths[i], '/') ? strrchr(l->paths[i], '/') + 1 : l->paths[i];
        char *to = xasprintf("%s/%s#%u", dir, base, version);
        copy_file(l->paths[i], to);
        xfree(to);
    }
    xfree(dir);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void snapshot_remove(const char *root)
{
    if (root)
        nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void snapshot_remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        int pid;
        if (sscanf(e->d_name, "sources-%d", &pid) == 1 && pid > 0 && kill(pid, 0) < 0 && errno == ESRCH) {
            char *path = xasprintf("%s/%s", dir, e->d_name);
            snapshot_remove(path);
            xfree(path);
        }
    }
    if (d)
        closedir(d);
}
