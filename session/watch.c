/* The watcher: inotify on the directories of the input files (compilers
 * and build tools replace files by rename as often as they rewrite them),
 * and of the sources they were compiled from (sources.c); once no watched
 * file has changed for DEBOUNCE_MS (a build writes several objects, an
 * editor saves in steps, a checkout touches many files), the saved
 * sources' objects are compiled again and everything is reloaded at once.
 * The report and the compilers' messages go to the log: the session's
 * stderr, or --log FILE. */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "forkgate.h"
#include "session.h"
#include "sources.h"
#include "util.h"

/* Quiet time before acting: a build writes objects over a while; an
 * editor's save is over in a few milliseconds (a burst of saves keeps
 * restarting the shorter wait). */
#define DEBOUNCE_MS 150
#define SAVE_DEBOUNCE_MS 40

struct watched {
    int wd;
    char *dir, *file;
    void *unit;                 /* a source's (sources.c); NULL: an input */
};

static struct watched *files;
static size_t nfiles, capfiles;
static const struct link_options *watch_opts;
static const char *build_command;       /* --build: run it, not compilers */
static int inotify_fd = -1;
static FILE *log_file;

FILE *watch_log(void)
{
    return log_file ? log_file : stderr;
}

static int watch_dir(const char *dir)
{
    for (size_t i = 0; i < nfiles; i++)
        if (!strcmp(files[i].dir, dir))
            return files[i].wd;
    return inotify_add_watch(inotify_fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE);
}

static void add_file(const char *path, void *unit)
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
    struct watched w = {wd, copy, slash + 1, unit};
    ARRAY_PUSH(files, nfiles, capfiles, w);
}

void watch_source(const char *path, void *unit)
{
    add_file(path, unit);
}

enum { INPUT_CHANGED = 1, SOURCE_CHANGED = 2 };

/* What the event says changed: an input, a source (its units marked). */
static int changed(const struct inotify_event *e)
{
    int what = 0;
    for (size_t i = 0; i < nfiles; i++)
        if (files[i].wd == e->wd && e->len && !strcmp(files[i].file, e->name)) {
            if (files[i].unit)
                sources_changed(files[i].unit);
            what |= files[i].unit ? SOURCE_CHANGED : INPUT_CHANGED;
        }
    return what;
}

/* Drain pending events; what they changed. */
static int read_events(void)
{
    char buf[4096] __attribute__((aligned(8)));
    int what = 0;
    ssize_t n;
    while ((n = read(inotify_fd, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            what |= changed(e);
            p += sizeof *e + e->len;
        }
    return what;
}

static void reload_now(void)
{
    struct link_options opts = *watch_opts;
    char *report = NULL;
    int busy = busy_begin("reloading, after --watch saw a change");
    if (session_reload(&opts, &report) < 0)
        fprintf(watch_log(), "hotld: error: reload failed: %s\n", last_error());
    else
        fprintf(watch_log(), "%s\n", report);
    fflush(watch_log());
    busy_end(busy);
    xfree(report);
}

/* Compile what saved sources went into; true if the reload may follow.
 * The compilers' own writes of the objects are not news; a save made
 * meanwhile is, and is compiled before anything is reloaded. */
static bool compile_saved(void)
{
    int rc;
    do
        rc = build_command ? sources_build(build_command) : sources_compile();
    while (read_events() & SOURCE_CHANGED);
    return rc == 0;
}

static void *watch_thread(void *arg)
{
    (void)arg;
    int dirty = 0;
    for (;;) {
        struct pollfd pfd = {inotify_fd, POLLIN, 0};
        int wait = !dirty ? -1 : dirty == SOURCE_CHANGED ? SAVE_DEBOUNCE_MS : DEBOUNCE_MS;
        int ready = forkgate_poll(&pfd, 1, wait);
        if (ready > 0) {
            dirty |= read_events();
        } else if (ready == 0 && dirty) {
            bool go = !(dirty & SOURCE_CHANGED) || compile_saved();
            dirty = 0;
            if (go)
                reload_now();
        }
    }
    return NULL;
}

void watch_start(const struct link_options *opts, const char *log, const char *build)
{
    build_command = build;
    inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (inotify_fd < 0) {
        warn("--watch: inotify: %s", strerror(errno));
        return;
    }
    if (log && !(log_file = fopen(log, "a")))
        warn("--log %s: %s; messages go to stderr", log, strerror(errno));
    watch_opts = opts;
    for (size_t i = 0; i < opts->ninputs; i++)
        if (!opts->inputs[i].is_lib)
            add_file(opts->inputs[i].arg, NULL);
    sources_start(opts, build != NULL);
    start_thread(watch_thread, NULL);
}
