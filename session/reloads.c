/* A reload asked of the session (by a command, --watch or gdb): which
 * inputs it must read, one at a time under the program's lock, its report
 * kept for --status and the debugger, and the program's hooks run after. */
#include <stdlib.h>
#include <string.h>

#include "forkgate.h"
#include "hash.h"
#include "session.h"
#include "tracker.h"
#include "util.h"

static void track_inputs(const struct link_options *opts)
{
    for (size_t i = 0; i < opts->ninputs; i++)
        if (!opts->inputs[i].is_lib)
            tracker_watch(opts->inputs[i].arg);
}

/* Inputs inotify saw no event for need no stat (see tracker.c). */
static void find_clean_inputs(const struct link_options *opts, struct strmap *clean)
{
    const char **paths = xcalloc(opts->ninputs + 1, sizeof *paths);
    size_t n = 0;
    for (size_t i = 0; i < opts->ninputs; i++)
        if (!opts->inputs[i].is_lib)
            paths[n++] = opts->inputs[i].arg;
    tracker_clean_paths(paths, n, clean);
    xfree(paths);
}

static uint64_t inputs_digest(const struct link_options *o)
{
    uint64_t h = o->ninputs * 0x9e3779b97f4a7c15ull + o->nlibdirs;
    for (size_t i = 0; i < o->ninputs; i++)
        h = (h ^ hash_bytes(o->inputs[i].arg, strlen(o->inputs[i].arg)) ^ o->inputs[i].is_lib) * 31;
    for (size_t i = 0; i < o->nlibdirs; i++)
        h = (h ^ hash_bytes(o->libdirs[i], strlen(o->libdirs[i]))) * 37;
    return h;
}

/* Remember what the program is now linked from. Input strings are copied:
 * a request's die with it. */
void remember_inputs(const struct link_options *o)
{
    struct session *se = &the_session;
    struct program *pg = &se->program;
    se->inputs_digest = inputs_digest(o);
    for (size_t i = 0; i < pg->ncurrent_inputs; i++)
        xfree((char *)pg->current_inputs[i].arg);
    pg->ncurrent_inputs = 0;
    for (size_t i = 0; i < o->ninputs; i++) {
        struct link_input in = {xstrdup(o->inputs[i].arg), o->inputs[i].is_lib};
        ARRAY_PUSH(pg->current_inputs, pg->ncurrent_inputs, pg->capcurrent_inputs, in);
    }
    for (size_t i = 0; i < se->nfixed; i++)
        xfree((char *)se->fixed[i].arg);
    se->nfixed = 0;
    for (size_t i = 0; i < o->ninputs; i++)
        if (o->inputs[i].is_lib || !strmap_get(&pg->live->by_name, o->inputs[i].arg)) {
            struct link_input in = {xstrdup(o->inputs[i].arg), o->inputs[i].is_lib};
            ARRAY_PUSH(se->fixed, se->nfixed, se->capfixed, in);
        }
}

struct input_list {
    struct link_input *in;
    size_t n, cap;
};

static void add_changed_object(const char *path, void *ctx)
{
    struct strmap *changed = ctx;
    if (strmap_get(&the_session.program.live->by_name, path))
        strmap_slot(changed, path)->value = (void *)path;
}

/* The changed objects in the command line's order, not the tracker's:
 * the first object of a COMDAT group keeps it, the first weak definition
 * wins, as in the link that made the program. */
static bool changed_objects(struct input_list *l)
{
    const struct program *pg = &the_session.program;
    struct strmap changed = {0};
    bool known = tracker_changed_paths(add_changed_object, &changed);
    for (size_t i = 0; known && i < pg->ncurrent_inputs; i++) {
        const char *path = pg->current_inputs[i].is_lib ? NULL : strmap_get(&changed, pg->current_inputs[i].arg);
        if (path)
            ARRAY_PUSH(l->in, l->n, l->cap, ((struct link_input){path, false}));
    }
    strmap_free(&changed);
    return known;
}

/* The same inputs as the program was linked from, and inotify knows which
 * changed: link only those objects (and the archives and libraries, for
 * new references), so a reload costs what changed, not what exists.
 * Not with --reset: the objects whose variables it names are linked
 * again, changed or not (reload/incremental.c). */
static bool fast_inputs(const struct link_options *opts, struct link_options *fast)
{
    struct session *se = &the_session;
    if (opts->nreset || inputs_digest(opts) != se->inputs_digest)
        return false;
    struct input_list l = {0};
    if (!changed_objects(&l)) {
        xfree(l.in);
        return false;
    }
    for (size_t i = 0; i < se->nfixed; i++)
        ARRAY_PUSH(l.in, l.n, l.cap, se->fixed[i]);
    *fast = *opts;
    fast->inputs = l.in;
    fast->ninputs = l.n;
    fast->only_changed = true;
    return true;
}

/* Called after every reload attempt: the gdb helper's 'hotld reload' stops
 * here to know the reload is over. */
__attribute__((noinline, used)) void hotld_reload_done(int rc)
{
    __asm__ volatile("" : : "r"(rc) : "memory");
}

/* The end of every reload attempt, whoever asked: its report kept for
 * --status and the debugger, the lock given back, the hooks run. */
static int finish(int rc, char **report)
{
    xfree(the_session.program.last_report);
    the_session.program.last_report = rc < 0 ? xasprintf("hotld: error: reload failed: %s", last_error())
                                     : xstrdup(rc > 0 ? last_recorded_report(&the_session.program) : *report);
    children_reloading(false);
    the_session.last_change_ms = now_ms();
    pthread_mutex_unlock(&the_session.program.lock);
    hotld_reload_done(rc);
    if (rc > 0)
        run_callbacks();
    return rc;
}

static int apply_reload(struct link_options *opts, char **report)
{
    struct strmap clean = {0};
    struct link_options fast;
    forkgate_lock(&the_session.program.lock);
    children_reloading(true);
    clear_error();
    track_inputs(opts); /* before this reload reads anything */
    bool quick = fast_inputs(opts, &fast);
    if (!quick) {
        find_clean_inputs(opts, &clean);
        opts->clean = &clean;
    }
    processes_begin(quick ? &fast : opts, !quick);
    int rc = reload_apply(&the_session.program, quick ? &fast : opts, report);
    processes_end(rc > 0 ? report : NULL);
    opts->clean = NULL;
    if (rc >= 0) {
        tracker_settle();
        if (!quick)
            remember_inputs(opts);
    }
    if (quick)
        xfree(fast.inputs);
    strmap_free(&clean);
    return finish(rc, report);
}

/* In a follower: the first process's reload, with the inputs it used. */
static int follow_reload(struct link_options *opts, bool remember, char **report)
{
    forkgate_lock(&the_session.program.lock);
    children_reloading(true);
    int rc = reload_apply(&the_session.program, opts, report);
    if (rc > 0 && remember)
        remember_inputs(opts);
    return finish(rc, report);
}

int session_roll_back_all(struct program *pg, char **report)
{
    children_reloading(true);
    processes_begin_rollback();
    int rc = reload_rollback(pg, report);
    processes_end(rc > 0 ? report : NULL);
    children_reloading(false);
    return rc;
}

int session_follow_rollback(char **report)
{
    forkgate_lock(&the_session.program.lock);
    children_reloading(true);
    return finish(reload_rollback(&the_session.program, report), report);
}

static int apply_job(void *opts, char **report)
{
    return apply_reload(opts, report);
}

int session_reload(struct link_options *opts, char **report)
{
    return is_cooperative() ? at_safe_point(apply_job, opts, report) : apply_reload(opts, report);
}

struct follow_job {
    struct link_options *opts;
    bool remember;
};

static int follow_job(void *arg, char **report)
{
    struct follow_job *j = arg;
    return follow_reload(j->opts, j->remember, report);
}

int session_follow(struct link_options *opts, bool remember, char **report)
{
    struct follow_job j = {opts, remember};
    return is_cooperative() ? at_safe_point(follow_job, &j, report) : follow_reload(opts, remember, report);
}
