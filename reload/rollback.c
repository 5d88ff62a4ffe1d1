/* Rolling back the last reload, when its new code crashed (crash.c): the
 * objects it brought go back to their previous versions, whose records
 * and bytes the session keeps until the next reload. The rollback is a
 * reload like any other, linking those bytes instead of the files (or
 * bringing that version's image back, reuse.c): the old code is
 * redirected to as new code would be, the variables keep their storage or
 * migrate back by their DWARF types, and then get the values they had
 * when the reload replaced them (datasave.c). */
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "util.h"

/* Was obj, as it is now, brought by the last reload (and so can go back)? */
bool rollback_covers(const struct program *pg, const struct object *obj)
{
    return obj->link == pg->last_brought && !obj->superseded &&
           strmap_get(&pg->live->by_name, obj->name) == obj;
}

/* The version of the object at path before the last reload brought it:
 * NULL if the reload did not touch it; *added if the reload added it. */
static struct object *previous_version(const struct program *pg, const char *path, bool *added)
{
    const struct version_list *vl = strmap_get(&pg->versions, path);
    *added = false;
    if (!vl || !rollback_covers(pg, versions_current(vl)))
        return NULL;
    *added = vl->n == 1;
    return versions_previous(vl);
}

static int check_members(const struct link *last)
{
    for (size_t i = 0; i < last->nobjs; i++)
        if (!last->objs[i]->file.bytes && strchr(last->objs[i]->name, '('))
            return fail("%s is an archive member: its archive changed, and only whole objects roll back",
                        last->objs[i]->name);
    return 0;
}

int reload_rollback(struct program *pg, char **report)
{
    if (!pg->last_brought)
        return fail("no reload to roll back");
    if (check_members(pg->last_brought) < 0)
        return -1;
    struct strmap override = {0};
    struct link_input *inputs = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; i < pg->ncurrent_inputs && rc == 0; i++) {
        const struct link_input *in = &pg->current_inputs[i];
        bool added = false;
        struct object *prev = in->is_lib ? NULL : previous_version(pg, in->arg, &added);
        if (added)
            continue; /* new in the reload: gone with it */
        if (prev && !prev->file.bytes)
            rc = fail("%s: its previous version's bytes are gone", in->arg);
        if (prev)
            strmap_slot(&override, in->arg)->value = prev;
        ARRAY_PUSH(inputs, n, cap, *in);
    }
    struct link_options opts = *pg->live->opts;
    opts.inputs = inputs;
    opts.ninputs = n;
    opts.override = &override;
    opts.clean = NULL;
    opts.only_changed = false;
    opts.on_conflict = CONFLICT_RESET; /* no one to ask: a crash is being handled */
    opts.ask = NULL;
    if (rc == 0) {
        pg->rolling_back = true; /* with the data they had (datasave.c) */
        rc = reload_apply(pg, &opts, report);
        pg->rolling_back = false;
    }
    xfree(inputs);
    strmap_free(&override);
    return rc;
}
