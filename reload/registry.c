/* Registries the linker builds: a section named like a C identifier,
 * which the program walks from __start_NAME to __stop_NAME (test
 * frameworks, plugin and command tables). The first link laid every
 * object's part out in one run; a reload cannot lay a new part in the
 * middle of it. So a reload's code binds to the program's bounds
 * (layout.c), and the new version's part is copied over its first
 * version's, once relocated: the program sees every object's entries,
 * each current. A part that would change size, or belong to an object
 * the program did not start with, cannot fit: the reload fails, saying
 * so. Entries the program may have changed (variables kept, databind.c)
 * keep their values, as every variable does. */
#include <stdio.h>
#include <string.h>

#include "patch.h"
#include "plan.h"
#include "util.h"

/* Does the program walk sec's name as a registry? */
static bool is_registry(const struct link *live, const char *name, char bound[static 300])
{
    const char *kinds[] = {"__start_", "__stop_"};
    for (int k = 0; k < 2; k++) {
        snprintf(bound, 300, "%s%s", kinds[k], name);
        const struct symbol *s = strmap_get(&live->symtab, bound);
        if (s && s->kind == SYM_LINKER && s->addr)
            return true;
    }
    return false;
}

static const struct section *section_named(const struct object *obj, const char *name)
{
    for (size_t i = 1; obj && i < obj->nsecs; i++)
        if (obj->secs[i].out && !strcmp(obj->secs[i].name, name))
            return &obj->secs[i];
    return NULL;
}

/* Does the reload keep a variable of sec where it is (its value is the
 * program's)? */
static bool holds_kept_variable(const struct section *sec)
{
    return sec->nbinds > 0;
}

static int plan_part(struct program *pg, struct plan *p, const struct object *new, const struct section *sec)
{
    char bound[300];
    if (!is_registry(pg->live, sec->name, bound))
        return 0;
    const struct version_list *vl = strmap_get(&pg->versions, new->name);
    const struct section *first = section_named(vl ? vl->v[0] : NULL, sec->name);
    if (!first || first->size != sec->size)
        return fail("section '%s' of %s is a registry (the program walks it with %s), and a reload "
                    "cannot %s a running program's registry (%lu -> %lu bytes): restart the program "
                    "to change its entries", sec->name, new->name, bound, first ? "resize" : "add to",
                    (unsigned long)(first ? first->size : 0), (unsigned long)sec->size);
    if (!holds_kept_variable(sec) && sec->size)
        ARRAY_PUSH(p->overwrites, p->noverwrites, p->capoverwrites,
                   ((struct overwrite){first->addr, sec->addr, sec->size, segment_prot(first->out->seg)}));
    return 0;
}

int plan_registries(struct program *pg, struct plan *p)
{
    char bound[300];
    for (size_t i = 0; i < p->nl->nobjs; i++)
        for (size_t k = 1; k < p->nl->objs[i]->nsecs; k++)
            if (plan_part(pg, p, p->nl->objs[i], &p->nl->objs[i]->secs[k]) < 0)
                return -1;
    for (size_t i = 0; i < p->nremoved_objs; i++) {
        const struct object *gone = p->removed_objs[i];
        for (size_t k = 1; k < gone->nsecs; k++)
            if (gone->secs[k].out && gone->secs[k].size && is_registry(pg->live, gone->secs[k].name, bound))
                return fail("section '%s' of %s is a registry (the program walks it with %s), and a "
                            "reload cannot take entries out of a running program's registry: restart "
                            "the program to remove %s", gone->secs[k].name, gone->name, bound, gone->name);
    }
    return 0;
}
