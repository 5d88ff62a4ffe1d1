/* The watcher: inotify on the directories of the input files (compilers
 * and build tools replace files by rename as often as they rewrite them),
 * a reload once no watched file has changed for DEBOUNCE_MS, so that a
 * build that writes several objects triggers one reload. The report goes
 * to the session's stderr. */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "session.h"
#include "util.h"

#define DEBOUNCE_MS 150

struct watched {
    int wd;
    char *dir, *file;
};

static struct watched *files;
static size_t nfiles, capfiles;
static const struct link_options *watch_opts;
static int inotify_fd = -1;

static int watch_dir(const char *dir)
{
    for (size_t i = 0; i < nfiles; i++)
        if (!strcmp(files[i].dir, dir))
            return files[i].wd;
    return inotify_add_watch(inotify_fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE);
}

static void add_file(const char *path)
{
    char *copy = xstrdup(path), *slash = strrchr(copy, '/');
    if (!slash)
        return xfree(copy);
    *slash = 0;
    int wd = watch_dir(copy[0] ? copy : "/");
    if (wd < 0) {
        warn("--watch: cannot watch %s: %s", copy, strerror(errno));
        return xfree(copy);
    }
    struct watched w = {wd, copy, slash + 1};
    ARRAY_PUSH(files, nfiles, capfiles, w);
}

static bool is_watched(const struct inotify_event *e)
{
    for (size_t i = 0; i < nfiles; i++)
        if (files[i].wd == e->wd && e->len && !strcmp(files[i].file, e->name))
            return true;
    return false;
}

/* Drain pending events; true if one concerned an input file. */
static bool read_events(void)
{
    char buf[4096] __attribute__((aligned(8)));
    bool hit = false;
    ssize_t n;
    while ((n = read(inotify_fd, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            hit |= is_watched(e);
            p += sizeof *e + e->len;
        }
    return hit;
}

static void reload_now(void)
{
    struct link_options opts = *watch_opts;
    char *report = NULL;
    int busy = busy_begin("reloading, after --watch saw a change");
    if (session_reload(&opts, &report) < 0)
        fprintf(stderr, "hotld: error: reload failed: %s\n", last_error());
    else
        fprintf(stderr, "%s\n", report);
    busy_end(busy);
    xfree(report);
}

static void *watch_thread(void *arg)
{
    (void)arg;
    bool dirty = false;
    for (;;) {
        struct pollfd pfd = {inotify_fd, POLLIN, 0};
        int ready = poll(&pfd, 1, dirty ? DEBOUNCE_MS : -1);
        if (ready > 0) {
            dirty |= read_events();
        } else if (ready == 0 && dirty) {
            dirty = false;
            reload_now();
        }
    }
    return NULL;
}

void watch_start(const struct link_options *opts)
{
    inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (inotify_fd < 0) {
        warn("--watch: inotify: %s", strerror(errno));
        return;
    }
    watch_opts = opts;
    for (size_t i = 0; i < opts->ninputs; i++)
        if (!opts->inputs[i].is_lib)
            add_file(opts->inputs[i].arg);
    start_thread(watch_thread, NULL);
}
