/* Classes, structs and unions whose layout a reload changes, compared by
 * their DWARF (dwarf/typematch.c) in the old and the new version of an
 * object. Only types a pointer or reference type of the new version leads
 * to are considered: objects of a type nothing points to live only in the
 * variables the reload migrates. */
#include "classes.h"

#include <string.h>

#include "typeinfo.h"
#include "util.h"

static const struct debug_type *type_keyed(const struct debug_info *di, const char *key)
{
    size_t n;
    const struct debug_type *t = debug_types(di, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].key, key))
            return &t[i];
    return NULL;
}

static bool same_layout(const struct debug_info *old, const struct debug_type *ot, const struct debug_info *new,
                        const struct debug_type *nt)
{
    struct type_plan plan;
    typematch(old, ot->die, new, nt->die, &plan);
    bool same = plan.verdict == TYPES_IDENTICAL;
    type_plan_free(&plan);
    return same;
}

int check_class_layouts(const struct debug_info *old, const struct debug_info *new, const struct object *obj,
                        struct bind_result *r)
{
    size_t n;
    const struct debug_type *types = debug_types(new, &n);
    for (size_t i = 0; i < n; i++) {
        const struct debug_type *nt = &types[i], *ot = type_keyed(old, nt->key);
        if (!nt->pointed_to || !ot || same_layout(old, ot, new, nt))
            continue;
        char *what = xasprintf("%s '%s'", nt->kind, nt->name);
        char *sizes = ot->size == nt->size ? xasprintf("%lu bytes, fields moved", (unsigned long)nt->size)
                                           : xasprintf("%lu -> %lu bytes", (unsigned long)ot->size,
                                                       (unsigned long)nt->size);
        char *why = xasprintf("its layout changed (%s), and objects of it made before this reload with new or "
                              "malloc, or on a stack, keep the old one", sizes);
        xfree(sizes);
        int rc = class_conflict(r, obj, what, why);
        xfree(what);
        xfree(why);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int class_conflict(struct bind_result *r, const struct object *obj, const char *what, const char *why)
{
    const struct link_options *o = obj->link->opts;
    char answer = 'a';
    if (o->on_conflict == CONFLICT_ASK && o->ask) {
        char *question = xasprintf("%s of %s: %s (k: reload anyway)", what, path_shown(obj->name), why);
        answer = o->ask(o->ask_ctx, question, "ka");
        xfree(question);
    } else if (o->on_conflict != CONFLICT_ABORT && o->on_conflict != CONFLICT_ASK) {
        answer = 'k';
    }
    if (answer != 'k')
        return fail("%s of %s: %s; reload aborted (--on-conflict=keep reloads anyway)", what,
                    path_shown(obj->name), why);
    ARRAY_PUSH(r->warnings, r->nwarnings, r->capwarnings,
               xasprintf("%s of %s: %s; reloaded anyway (--on-conflict): make those objects again", what,
                         path_shown(obj->name), why));
    return 0;
}
