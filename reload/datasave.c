/* The data a rollback puts back. When a reload replaces objects, the
 * values of their variables at that moment (taken in the commit, with
 * every thread parked, before any migration) are saved. If the new code
 * then crashes and the reload is rolled back (crash.c, rollback.c), the
 * previous versions come back with the data they had: the rollback links
 * the same bytes again, so each saved variable is found by its symbol
 * index and its bytes are written to wherever that variable lives now
 * (kept in place, or migrated back to new storage).
 *
 * Only the last reload's values are kept: a rollback goes back one reload.
 * Thread-local variables are not saved (each thread has its own), nor
 * variables past SAVE_LIMIT. */
#include <stdlib.h>
#include <string.h>

#include "datasave.h"
#include "util.h"

/* The most one reload saves: it is copied while every thread is parked,
 * and kept until the next reload. Variables past it are not saved, and a
 * rollback leaves them as they are. */
#define SAVE_LIMIT (64u << 20)

/* A variable of obj's that a reload carries (databind.c), shared by all
 * threads. */
static bool is_saved(const struct object *obj, const struct symbol *s)
{
    return s && is_state_variable(s, obj) && s->type != STT_TLS && !(s->sec->flags & SHF_TLS);
}

static void plan_object(struct data_save *ds, const struct object *obj)
{
    for (size_t j = 1; j < obj->nsyms; j++) {
        const struct symbol *s = obj->syms[j];
        if (!is_saved(obj, s) || ds->size + s->size > SAVE_LIMIT)
            continue;
        struct saved_var v = {obj->name, j, s->addr, s->size, ds->size};
        ARRAY_PUSH(ds->vars, ds->n, ds->cap, v);
        ds->size += ALIGN_UP(s->size, 16);
    }
}

void datasave_plan(struct data_save *ds, struct object *const *objs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (objs[i])
            plan_object(ds, objs[i]);
    ds->bytes = xrealloc(ds->bytes, ds->size + 1);
}

void datasave_take(struct data_save *ds)
{
    for (size_t i = 0; i < ds->n; i++)
        memcpy(ds->bytes + ds->vars[i].offset, (const void *)ds->vars[i].addr, ds->vars[i].size);
}

void datasave_put_back(const struct data_save *saved, const struct link *nl, struct var_copy **copies,
                       size_t *n)
{
    size_t cap = 0;
    for (size_t i = 0; i < saved->n; i++) {
        const struct saved_var *v = &saved->vars[i];
        const struct object *obj = strmap_get(&nl->by_name, v->object);
        const struct symbol *s = obj && v->sym < obj->nsyms ? obj->syms[v->sym] : NULL;
        if (!s || !is_saved(obj, s) || s->size != v->size)
            continue; /* not the same bytes after all: leave it as it is */
        struct var_copy c = {(uintptr_t)(saved->bytes + v->offset), s->addr, v->size};
        ARRAY_PUSH(*copies, *n, cap, c);
    }
}

void datasave_free(struct data_save *ds)
{
    xfree(ds->vars);
    xfree(ds->bytes);
    *ds = (struct data_save){0};
}
