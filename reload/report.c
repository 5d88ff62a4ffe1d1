/* What a reload tells: its report, and the records the debugger helper
 * and --status --vars show. */
#include <stdlib.h>
#include <string.h>

#include "backtrace.h"
#include "demangle.h"
#include "plan.h"
#include "strbuf.h"
#include "util.h"

/* "hotld: warning: 'main' (main.c:21) keeps running its old code in
 * thread 4242: ..." once per function, naming its threads. */
static void tell_running_old(const struct program *pg, const struct plan *p, struct strbuf *sb)
{
    for (size_t i = 0; i < p->nrunning; i++) {
        const struct running_old *r = &p->running[i];
        bool told = false;
        for (size_t k = 0; k < i; k++)
            told |= p->running[k].in == r->in;
        if (told)
            continue;
        struct code_place place;
        code_place_of(pg, r->pc, r->returns_to, &place);
        code_line_of(pg, &place);
        sb_printf(sb, "\nhotld: warning: '%s'", r->in->name);
        if (*place.src.file) /* an old version's source is a snapshot: "v0/main.c#0" */
            sb_printf(sb, " (%.*s:%u)", (int)strcspn(path_base(place.src.file), "#"),
                      path_base(place.src.file), place.src.line);
        sb_printf(sb, " keeps running its old code in thread %d", (int)r->tid);
        for (size_t k = i + 1; k < p->nrunning; k++)
            if (p->running[k].in == r->in)
                sb_printf(sb, ", %d", (int)p->running[k].tid);
        sb_printf(sb, " until it returns: the edit reaches a loop only in the functions it calls; "
                      "move the loop's body into a function called each time round");
    }
}

/* "hotld: warning: main.o: its weak reference to 'hits' still reaches
 * the removed definition ...": the slot it shares with replaced code
 * keeps the old address (commit.c, hold_removed). */
static void tell_held_slots(const struct plan *p, struct strbuf *sb)
{
    for (size_t i = 0; i < p->nheld; i++) {
        const struct held_slot *h = &p->held[i];
        char *shown = source_name(h->sym->name);
        sb_printf(sb, "\nhotld: warning: %s: its weak reference to '%s' still reaches the removed definition, "
                      "until a version defines '%s' again: it reads a GOT slot that the replaced %s, whose "
                      "code may still run, reads too",
                  path_base(h->reader->name), shown, shown, path_base(h->old->name));
        xfree(shown);
    }
}

/* Words left at a moved variable's old start: the address is also where
 * another object ends. */
static void tell_ambiguous_pointers(const struct pointer_scan *ps, struct strbuf *sb)
{
    if (!ps->ambiguous)
        return;
    char *name = ps->ambiguous_name ? demangle(ps->ambiguous_name) : NULL;
    const char *shown = name ? name : ps->ambiguous_name;
    sb_printf(sb, "\nhotld: warning: %zu word%s holding the address where %s%s%s started left alone: another "
                  "object ends there, so each may point past it (a loop's bound) rather than at the moved "
                  "variable, which a real pointer among them still reads in its old storage",
              ps->ambiguous, ps->ambiguous == 1 ? "" : "s", shown ? "'" : "a moved variable", shown ? shown : "",
              shown ? "'" : "");
    xfree(name);
}

/* "hotld: reloaded a.o, b.o: 3 functions changed, 1 added, 0 removed;
 *  12 variables kept, 0 migrated, 0 reset, 1 new, 0 removed (1.4 ms)", then, if each,
 * one line per object's kept variables and per migrated one, and the
 * warnings: first, if not_whole, that the commit did not finish. */
char *describe(const struct program *pg, const struct plan *p, double ms, bool each, const char *not_whole)
{
    struct strbuf sb = {0};
    sb_printf(&sb, "hotld: reloaded ");
    for (size_t i = 0; i < p->nl->nobjs; i++)
        sb_printf(&sb, "%s%s%s", i ? ", " : "", p->nl->objs[i]->added ? "new " : "",
                  path_base(p->nl->objs[i]->name));
    for (size_t i = 0; i < p->nremoved_objs; i++)
        sb_printf(&sb, "%sremoved %s", i || p->nl->nobjs ? ", " : "", path_base(p->removed_objs[i]->name));
    sb_printf(&sb, ": %zu functions changed, %zu added, %zu removed; ", p->changed, p->added, p->removed);
    sb_printf(&sb, "%zu variables kept, %zu migrated, %zu reset, %zu new, %zu removed", p->binds.kept + p->binds.moved,
              p->binds.migrated + p->binds.user_migrated, p->binds.reset, p->binds.added, p->binds.removed);
    const struct pointer_scan *ps = &p->pointers;
    if (ps->in_data + ps->in_memory)
        sb_printf(&sb, "; %zu pointer%s rewritten, %zu on the heap or stacks", ps->in_data + ps->in_memory,
                  ps->in_data + ps->in_memory == 1 ? "" : "s", ps->in_memory);
    sb_printf(&sb, " (%.1f ms)", ms);
    if (p->again) {
        sb_printf(&sb, "\nhotld: ");
        for (size_t i = 0; i < p->again->nobjs; i++)
            sb_printf(&sb, "%s%s", i ? ", " : "", path_base(p->again->objs[i]->name));
        sb_printf(&sb, ": version %u again (its code was still loaded)", program_version_of(pg, p->again->objs[0]));
    }
    for (size_t i = 0; each && i < p->binds.nnotes; i++)
        sb_printf(&sb, "\nhotld: %s", p->binds.notes[i]);
    if (not_whole) /* said as loudly as a report can, and kept in the history */
        sb_printf(&sb, "\nhotld: warning: the reload is applied but not whole, the program may run old code: %s",
                  not_whole);
    for (size_t i = 0; i < p->binds.nwarnings; i++)
        sb_printf(&sb, "\nhotld: warning: %s", p->binds.warnings[i]);
    tell_running_old(pg, p, &sb);
    tell_held_slots(p, &sb);
    tell_ambiguous_pointers(&p->pointers, &sb);
    return sb.s;
}

static void free_fates(struct var_fate *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xfree(f[i].name);
        xfree(f[i].object);
    }
    xfree(f);
}

/* Keep what the debugger helper shows: the report and the variables.
 * Only the last reloads' reports are kept, so that a session reloading
 * all day keeps the same memory. */
#define HISTORY_KEPT 64

void record_reload(struct program *pg, struct plan *p, const char *report)
{
    struct reload_record r = {pg->generation, xstrdup(report)};
    if (pg->nhistory == HISTORY_KEPT) {
        xfree(pg->history[0].report);
        memmove(pg->history, pg->history + 1, --pg->nhistory * sizeof *pg->history);
    }
    ARRAY_PUSH(pg->history, pg->nhistory, pg->caphistory, r);
    free_fates(pg->fates, pg->nfates);
    pg->fates = p->binds.fates;
    pg->nfates = p->binds.nfates;
    p->binds.fates = NULL;
    p->binds.nfates = 0;
}

const char *last_recorded_report(const struct program *pg)
{
    return pg->nhistory ? pg->history[pg->nhistory - 1].report : "";
}
