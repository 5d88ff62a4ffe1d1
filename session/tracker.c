#include "tracker.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "util.h"

#define EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB)

struct dir {
    int wd;
    char *path;
};

static int fd = -1;
static struct dir *dirs;
static size_t ndirs, capdirs;
static struct strmap dirty;     /* "dir/name" -> non-NULL, since the last settle */
static bool overflowed;         /* events were lost: trust nothing */
static bool unwatched;          /* an input's directory is not watched */
static bool baseline;           /* settled once since watching began: events
                                   since then are all the changes there are */

static struct dir *dir_of_wd(int wd)
{
    for (size_t i = 0; i < ndirs; i++)
        if (dirs[i].wd == wd)
            return &dirs[i];
    return NULL;
}

static bool is_watched_dir(const char *dir, size_t len)
{
    for (size_t i = 0; i < ndirs; i++)
        if (strlen(dirs[i].path) == len && !strncmp(dirs[i].path, dir, len))
            return true;
    return false;
}

void tracker_watch(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return;
    if (fd < 0 && (fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0) {
        unwatched = true;
        return;
    }
    if (is_watched_dir(path, slash - path))
        return;
    char *dir = strndup(path, slash - path);
    int wd = inotify_add_watch(fd, dir, EVENTS);
    if (wd < 0) {
        unwatched = true;
        xfree(dir);
        return;
    }
    struct dir d = {wd, dir};
    ARRAY_PUSH(dirs, ndirs, capdirs, d);
}

static void drain(void)
{
    char buf[8192] __attribute__((aligned(8)));
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            struct dir *d = dir_of_wd(e->wd);
            if (e->mask & IN_Q_OVERFLOW)
                overflowed = true;
            else if (d && e->len)
                strmap_slot(&dirty, xasprintf("%s/%s", d->path, e->name))->value = (void *)1;
            else if (e->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
                overflowed = true; /* a watched directory went away */
            p += sizeof *e + e->len;
        }
}

void tracker_clean_paths(const char *const *paths, size_t n, struct strmap *clean)
{
    drain();
    if (overflowed || !baseline)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(paths[i], '/');
        if (slash && is_watched_dir(paths[i], slash - paths[i]) && !strmap_get(&dirty, paths[i]))
            strmap_slot(clean, paths[i])->value = (void *)1;
    }
}

bool tracker_changed_paths(void (*each)(const char *path, void *ctx), void *ctx)
{
    drain();
    if (overflowed || unwatched || fd < 0 || !baseline)
        return false;
    for (size_t i = 0; i < dirty.cap; i++)
        if (dirty.slots[i].key)
            each(dirty.slots[i].key, ctx);
    return true;
}

/* Events still in the kernel's queue (a file written while the reload
 * ran) are not drained here: the next reload sees them. */
void tracker_settle(void)
{
    for (size_t i = 0; i < dirty.cap; i++)
        xfree((char *)dirty.slots[i].key);
    strmap_free(&dirty);
    overflowed = false;
    baseline = fd >= 0;
}
