/* Applying a reload to the running program, all or nothing:
 *   1. link the changed objects into a new image (incremental link); their
 *      variables keep the old storage where they match (databind.c), and
 *      their global functions keep their first address for &f
 *   2. park every program thread (stopworld.c) where no patch can hurt it
 *   3. commit: redirect every earlier version's functions to the new code,
 *      copy moved variables, update GOT slots and code that referenced
 *      data which moved, and merge the new symbols into the live table
 *   4. release the threads; run constructors of added objects only.
 * Anything that fails before step 3 discards the new image and leaves the
 * program exactly as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "background.h"
#include "call.h"
#include "constants.h"
#include "funcaddr.h"
#include "imagefile.h"
#include "incremental.h"
#include "leaks.h"
#include "plan.h"
#include "patch.h"
#include "samefunc.h"
#include "snapshot.h"
#include "stacks.h"
#include "staleusers.h"
#include "stopworld.h"
#include "util.h"

extern char **environ;

/* A global function that moved between objects (the kept copy of an
 * inline function, say) is the same function: changed or not, never
 * removed from one object and added to another. A changed one's type is
 * checked against the objects left as built (staleusers.c). */
static void count_functions(const struct program *pg, struct plan *p, struct object *old, struct object *new)
{
    size_t nnew, nold;
    const struct func *fn = object_functions(new, &nnew), *fo = object_functions(old, &nold);
    struct signature_check check;
    signatures_begin(&check, pg->live, old, new, &p->binds);
    for (size_t i = 0; i < nnew; i++) {
        const struct func *n = &fn[i], *o = object_function_like(old, n);
        if (!o && !(o = function_moved_in(pg, new, n))) {
            p->added += !moved_with_group(old, n);
        } else if (!same_function(o, n)) {
            p->changed++;
            signature_check_changed(&check, n);
        }
    }
    signatures_end(&check);
    for (size_t i = 0; i < nold; i++)
        p->removed += !object_function_like(new, &fo[i]) && !function_moved_out(pg, old, new, &fo[i]);
}

static int plan_reload(struct program *pg, struct plan *p)
{
    struct link *nl = p->nl, *live = pg->live;
    p->replaced = xcalloc(nl->nobjs + 1, sizeof *p->replaced);
    for (size_t i = 0; i < nl->nobjs; i++) {
        struct object *new = nl->objs[i];
        struct object *old = strmap_get(&live->by_name, new->name);
        p->replaced[i] = old;
        new->added = !old;
        if (old) {
            double bind_start = now_ms();
            size_t first_migration = p->binds.nmigrations;
            if (databind_object(nl, old, new, &p->binds) < 0)
                return -1;
            phase_done("bind", bind_start);
            count_functions(pg, p, old, new);
            note_changed_layouts(live, old, &p->binds, first_migration);
            repoint_changed_constants(old, new, &p->binds);
            if (plan_redirects(pg, p, new) < 0)
                return -1;
        } else {
            size_t n;
            object_functions(new, &n);
            p->added += n;
            if (databind_moved_into(nl, new) && databind_object(nl, NULL, new, &p->binds) < 0)
                return -1;
        }
        struct version_list *vl = strmap_get(&pg->versions, new->name);
        funcaddr_keep(live, vl ? vl->v[0] : NULL, new);
        if (plan_moved_functions(pg, p, new) < 0)
            return -1;
    }
    if (resets_done(nl->opts, &p->binds) < 0 || plan_vtables(pg, p) < 0)
        return -1;
    for (size_t i = 0; i < nl->nsuperseded; i++) {
        struct object *obj = nl->superseded[i];
        if (!strmap_get(&nl->by_name, obj->name)) {
            ARRAY_PUSH(p->removed_objs, p->nremoved_objs, p->capremoved_objs, obj);
            databind_removed(nl, obj, &p->binds);
        }
    }
    sort_redirects(p);
    return plan_registries(pg, p) < 0 || gc_roots_check(p) < 0 ? -1 : plugin_refs_check(p);
}

static void free_plan(struct plan *p)
{
    bind_result_free(&p->binds);
    pointers_free(&p->pointers);
    xfree(p->overwrites);
    xfree(p->library_slots);
    xfree(p->redirects);
    xfree(p->inside);
    xfree(p->moves);
    activeness_free(&p->act);
    xfree(p->removed_objs);
    xfree(p->replaced);
    xfree(p->moved.syms);
    xfree(p->moved.was);
    xfree(p->moved_data.syms);
    xfree(p->moved_data.was);
    xfree(p->restores);
    xfree(p->put_back);
    datasave_free(&p->save);
    source_list_free(&p->sources);
}

/* Undo what a failed reload's link did to the running program's records. */
static void abandon(struct link *nl)
{
    incremental_forget_superseded(nl);
    tls_unpublish(nl);
    image_file_forget(nl);
    image_release(nl->image);
    link_free(nl);
}

/* The new code's references to kept static functions are rewritten while
 * its pages are still writable: each mprotect of code pages costs every
 * core running the program a TLB flush. */
static int relocate_new_image(struct link *nl)
{
    if (link_relocate(nl) < 0)
        return -1;
    for (size_t i = 0; i < nl->nobjs; i++)
        funcaddr_rewrite_local_refs(nl->objs[i]);
    return link_protect(nl);
}

static size_t live_objects(struct program *pg)
{
    size_t n = 0;
    for (size_t i = 0; i < pg->live->by_name.cap; i++)
        n += pg->live->by_name.slots[i].value != NULL;
    return n;
}

/* A thread-local variable that migrates is converted in every thread, by
 * its thread pointer; a thread that blocks hotld's signal does not say
 * its own. */
static int migrates_asleep_threads(const struct plan *p)
{
    size_t n;
    const struct asleep *a = world_asleep(&n);
    for (size_t i = 0; n && i < p->binds.nmigrations; i++)
        if (p->binds.migrations[i].tls)
            return fail("thread-local '%s' would migrate, but thread %d blocks hotld's signal, so its "
                        "copy cannot be reached", p->binds.migrations[i].tls->name, (int)a[0].tid);
    return 0;
}

/* Park the threads where nothing of the commit can hurt them: outside the
 * bytes being patched, and out of old code that uses a variable whose
 * storage moves. Until then, let them run on and try again, up to
 * --reload-timeout. */
/* Why the last stop could not be used, once the time is up. */
static int unsafe_after(const struct plan *p, const char *inside, int timeout)
{
    clear_error(); /* a last stop cut short by the deadline is not the cause */
    if (inside)
        return fail("for %d ms (--reload-timeout), a thread could resume inside the first bytes of '%s', "
                    "which the reload replaces with a jump: it was stopped there, or would return there, or "
                    "runs a loop of that function that jumps back there (gcc -O0 puts a loop right after "
                    "the prologue; a statement before the loop moves it)", timeout, inside);
    return activeness_fail(&p->act, timeout);
}

/* What the stop opened to read the stacks is closed first, while no
 * program thread can close it or take its number. */
static void let_world_go(void)
{
    stacks_unload();
    world_resume();
}

/* Each stop wakes the program's threads from their sleeping system calls
 * (a poll or a nanosleep returns early, EINTR): while old code runs its
 * course, stops come at growing intervals, so that a program that paces
 * itself with sleeps is not woken a thousand times a second. */
#define RETRY_FIRST_US 500
#define RETRY_MAX_US 50000

static void wait_to_retry(unsigned *us, double deadline)
{
    double left_us = (deadline - now_ms()) * 1000;
    usleep(left_us < *us ? (left_us > 0 ? (unsigned)left_us : 0) : *us);
    *us = *us * 2 > RETRY_MAX_US ? RETRY_MAX_US : *us * 2;
}

static int stop_safely(struct program *pg, struct plan *p)
{
    int timeout = p->nl->opts->reload_timeout_ms ? p->nl->opts->reload_timeout_ms : pg->reload_timeout_ms;
    double start = now_ms(), deadline = start + timeout;
    const char *inside = NULL;
    bool stopped_once = false;
    unsigned retry_us = RETRY_FIRST_US;
    if (!own_stack_is_safe(p, &inside)) /* waiting would not help: it is this thread */
        return fail("this thread, which applies the reload (a program thread, at hotld_poll()), would "
                    "return into the first bytes of '%s', which the reload replaces: call hotld_poll() "
                    "from a function the reload does not replace", inside);
    for (;;) {
        int left = (int)(deadline - now_ms());
        stacks_prepare();
        if (world_stop(left > 0 ? left : 1, timeout) < 0) /* the last try may be too short */
            return stopped_once ? unsafe_after(p, inside, timeout) : -1;
        stopped_once = true;
        if (!stacks_load()) { /* more mappings than room: a thread was born */
            let_world_go();
            continue;
        }
        if (migrates_asleep_threads(p) < 0) {
            let_world_go();
            return -1;
        }
        inside = NULL;
        bool patches_ok = redirects_are_safe(p, &inside);
        /* unwinding takes a thread microseconds, unless the machine is
         * loaded: a wait cut short would leave only "could not inspect" */
        int unwind_ms = (int)(deadline - now_ms());
        if (patches_ok && activeness_clear(&p->act, unwind_ms > WORLD_BACKTRACE_WAIT_MS ? unwind_ms
                                                                                      : WORLD_BACKTRACE_WAIT_MS)) {
            phase_done("park", start);
            return 0;
        }
        let_world_go();
        if (exit_begun())
            return fail("the program is ending (its exit has begun): nothing was changed");
        if (now_ms() > deadline)
            return unsafe_after(p, inside, timeout);
        wait_to_retry(&retry_us, deadline); /* old code runs its course, or past an entry */
    }
}

/* The object of nl whose code holds addr. */
static const char *object_holding(const struct link *nl, uintptr_t addr)
{
    for (size_t i = 0; i < nl->nobjs; i++)
        for (size_t j = 1; j < nl->objs[i]->nsecs; j++) {
            const struct section *s = &nl->objs[i]->secs[j];
            if (s->out && (s->flags & SHF_EXECINSTR) && addr >= s->addr && addr - s->addr < s->size)
                return path_shown(nl->objs[i]->name);
        }
    return "the reload";
}

/* Run the constructors of the objects of nl that take says yes to, each
 * under a guard (inspect/call.c): the first that crashes stops them,
 * -1 with fail() naming it. */
static int run_constructors(const struct program *pg, const struct link *nl,
                            bool (*take)(const struct object *obj, void *ctx), void *ctx)
{
    uintptr_t *fns;
    size_t n = init_functions_of(nl, take, ctx, &fns);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct call_crash crash;
        call_initializer(fns[i], pg->argc, pg->argv, environ, &crash);
        if (crash.end != CALL_RETURNED)
            rc = fail("a constructor of %s crashed (%s at 0x%lx, address 0x%lx)", object_holding(nl, fns[i]),
                      strsignal(crash.signal), (unsigned long)crash.pc, (unsigned long)crash.address);
    }
    xfree(fns);
    return rc;
}

static bool is_added(const struct object *obj, void *ctx)
{
    (void)ctx;
    return obj->added;
}

/* An added object's constructors run once it is part of the program, and
 * only its own: a replaced one's would set its kept variables again. One
 * that crashes is told: the reload is applied by then. */
static void run_added_constructors(const struct program *pg, struct plan *p)
{
    if (run_constructors(pg, p->nl, is_added, NULL) < 0) {
        ARRAY_PUSH(p->binds.warnings, p->binds.nwarnings, p->binds.capwarnings,
                   xasprintf("%s: what it set may be half made", last_error()));
        clear_error();
    }
}

static bool to_construct(const struct object *obj, void *ctx)
{
    const struct bind_result *r = ctx;
    for (size_t i = 0; i < r->nconstruct; i++)
        if (r->construct[i] == obj)
            return true;
    return false;
}

/* Replaced objects whose constructors set only variables new in their
 * version (databind.c) have them run before the commit: nothing reaches
 * those variables yet, and the new code, once it runs, finds them
 * constructed. One that crashes fails the reload, the program untouched.
 * Whatever happens after, the image stays mapped: atexit may call their
 * destructors. */
static int construct_new_variables(const struct program *pg, struct plan *p)
{
    if (!p->binds.nconstruct)
        return 0;
    p->nl->image->ran = true;
    return run_constructors(pg, p->nl, to_construct, &p->binds);
}

/* Does the commit change anything that a thread that woke meanwhile may
 * see half changed? Its jumps, GOT slots and stubs are written in single
 * stores (patch.c), but for a jump at the last byte of a cache line; a
 * variable copied or moved, or code relocated again, is not. */
static bool needs_quiet(const struct plan *p)
{
    bool torn = false;
    for (size_t i = 0; i < p->nredirects; i++)
        torn |= !patch_code_is_atomic(p->redirects[i].at);
    for (size_t i = 0; i < p->nrestores; i++)
        torn |= !patch_code_is_atomic(p->restores[i].at);
    return torn || p->binds.ncopies || p->binds.nmigrations || p->nput_back || p->moved.n || p->noverwrites;
}

/* Every step that can fail is behind, but for the new variables'
 * constructors; run them, park the threads, commit, and finish. 1:
 * applied; -1: a constructor crashed, the threads could not be parked
 * safely, or another process of the program could not apply its part. */
static int apply_plan(struct program *pg, struct plan *p, double start, char **report)
{
    if (!p->again && construct_new_variables(pg, p) < 0)
        return -1;
    prepare_commit(pg, p);
    if (!p->again)
        gc_roots_add(p);
    bool stopped = stop_safely(pg, p) == 0;
    if (stopped && pg->agree && pg->agree() < 0) {
        let_world_go();
        stopped = false;
    }
    if (!stopped) {
        if (!p->again)
            gc_roots_remove(p);
        link_unpublish(p->nl);
        free_debug_swaps(p);
        return -1;
    }
    int whole = commit(pg, p);
    if (needs_quiet(p) && !world_still_asleep())
        whole = -1;
    let_world_go();
    if (exports_publish(pg->live, p->again ? p->again : p->nl) < 0) /* dlsym and plugins see the new addresses */
        whole = -1;
    self_names_publish(pg);
    rename_image_files(p);
    free_debug_swaps(p);
    datasave_free(&pg->saved);
    pg->saved = p->save; /* what a rollback of this reload puts back */
    p->save = (struct data_save){0};
    program_snapshot_first(pg); /* before gdb may show version 0 as old */
    if (p->again) {
        for (size_t i = 0; i < p->nl->nobjs; i++)
            program_rekey_names(pg, p->nl->objs[i]); /* the rehearsal's records go */
        program_record_versions(pg, p->again);
    } else {
        leaks_scan_for_roots((const void *)p->nl->image->base, p->nl->image->size);
        link_trim(p->nl);
        image_trim_unused(p->nl);
        snapshot_sources(pg->source_root, pg->ngens - 1, &p->sources);
        program_record_versions(pg, p->nl);
        program_record_vtables(pg, p->nl);
        run_added_constructors(pg, p);
    }
    double ms = now_ms() - start;
    char *full = describe(pg, p, ms, true, whole < 0 ? last_error() : NULL);
    *report = describe(pg, p, ms, p->nl->opts->report_each, whole < 0 ? last_error() : NULL);
    record_reload(pg, p, full); /* the history, --status --vars: every line */
    xfree(full);
    return 1;
}

/* Is the rehearsal g's image? Linked from g's own bytes at g's place,
 * with no variable needing new storage, it must come out byte for byte
 * as g is, but for the jumps at its entries. */
static bool rehearse(struct program *pg, struct plan *p)
{
    struct link *nl = p->nl;
    if (link_read(nl) < 0 || !reuse_same_objects(nl, p->again) || link_resolve_and_lay_out(nl) < 0 ||
        plan_reload(pg, p) < 0)
        return false;
    bool replaces_each = p->nremoved_objs == 0;
    for (size_t i = 0; i < nl->nobjs; i++)
        replaces_each &= !nl->objs[i]->added; /* an added one would want its constructors */
    image_mark_unused(nl); /* g's data ends where this says */
    return replaces_each && reuse_needs_nothing_new(nl, &p->binds) &&
           relocate_new_image(nl) == 0 &&
           reuse_same_image(nl, p->again, &p->restores, &p->nrestores);
}

/* The objects of the earlier reload g are back, byte for byte (an edit
 * undone, two versions tried in turn, a rollback): make g current again
 * if its image is what linking them now gives (reuse.c). 1: done; 0: it
 * is not, load a copy; -1: the threads could not be parked. */
static int reload_again(struct program *pg, const struct link_options *opts, struct link *g, double start,
                        char **report)
{
    struct strmap override = {0};
    for (size_t i = 0; i < g->nobjs; i++)
        strmap_slot(&override, g->objs[i]->name)->value = g->objs[i];
    struct link_options o = *opts;
    o.override = &override;
    o.on_conflict = CONFLICT_ABORT; /* a variable that would change rules it out */
    o.ask = NULL;
    struct plan p = {.nl = link_new(&o), .again = g};
    p.nl->rehearse_at = g->image;
    int rc = rehearse(pg, &p) ? apply_plan(pg, &p, start, report) : 0;
    if (rc == 1) {
        image_release(p.nl->image);
        link_free(p.nl);
    } else {
        abandon(p.nl);
    }
    if (rc == 0)
        clear_error(); /* why it is not the same image is no error */
    free_plan(&p);
    strmap_free(&override);
    return rc;
}

void program_snapshot_first(struct program *pg)
{
    snapshot_sources(pg->source_root, 0, &pg->first_sources);
    source_list_free(&pg->first_sources);
}

int reload_apply(struct program *pg, struct link_options *opts, char **report)
{
    double start = now_ms();
    program_record_first(pg);
    opts->live = pg->live;
    opts->hooks = &incremental_hooks;
    opts->host = &pg->host;
    struct plan p = {.nl = link_new(opts)};
    if (link_read(p.nl) < 0) {
        abandon(p.nl);
        return -1;
    }
    struct link *earlier = reuse_candidate(pg, p.nl);
    int rc = earlier ? reload_again(pg, opts, earlier, start, report) : 0;
    if (rc != 0) {
        abandon(p.nl);
        return rc;
    }
    if (link_resolve_and_lay_out(p.nl) < 0) {
        abandon(p.nl);
        return -1;
    }
    size_t unchanged = opts->only_changed ? live_objects(pg) - p.nl->nobjs
                                          : p.nl->seen.len - p.nl->nobjs;
    if (p.nl->nobjs == 0 && p.nl->nsuperseded == 0) {
        if (resets_done(opts, &p.binds) < 0) { /* no object has a variable it names */
            abandon(p.nl);
            return -1;
        }
        *report = xasprintf("hotld: nothing to reload (%zu inputs unchanged)", unchanged);
        abandon(p.nl);
        return 0;
    }
    if (plan_reload(pg, &p) < 0 || relocate_new_image(p.nl) < 0 ||
        apply_plan(pg, &p, start, report) < 0) {
        free_plan(&p);
        abandon(p.nl);
        return -1;
    }
    free_plan(&p);
    return 1;
}
