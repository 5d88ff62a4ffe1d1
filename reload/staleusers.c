/* Objects a reload leaves as they were built go on using the definitions
 * they were built against, and nothing at link time tells when those
 * changed type:
 * - a C function's symbol does not change with its parameters, so a
 *   reload can replace int scale(int) with int scale(int, int) while an
 *   object not rebuilt still calls it with one argument, and the program
 *   goes on with whatever the second register held (a C++ function's name
 *   changes with its parameters: the old callers' symbol is missing, and
 *   incremental.c fails the reload). The two versions' DWARF says what
 *   each function takes and returns; only functions whose code changed
 *   are looked at.
 * - a global variable migrated to a layout that moves its old parts (a
 *   field added in front, a scalar widened) is read and written by such
 *   an object at the old offsets, in the new storage.
 * Either is named in a warning, with the objects left that use it. */
#include "staleusers.h"

#include <string.h>

#include "ctypes.h"
#include "demangle.h"
#include "strbuf.h"
#include "typeinfo.h"
#include "util.h"

/* "int (int, int)"; NULL if the DWARF does not describe name. */
static const char *type_of(struct version_types *v, const char *name)
{
    const struct debug_func *f = v->di ? debug_func_named(v->di, name) : NULL;
    if (!f)
        return NULL;
    if (!v->types)
        v->types = ctypes_new(debug_info_dbg(v->di));
    return ctype_function(v->types, f->die)->name;
}

/* Does user refer to name as old defines it? */
static bool refers_to(const struct object *user, const struct object *old, const char *name)
{
    for (size_t j = 1; j < user->nsyms; j++) {
        const struct symbol *s = user->syms[j];
        if (s->global && s->file && s->file != user && !strcmp(s->file->name, old->name) && !strcmp(s->name, name))
            return true;
    }
    return false;
}

/* "a.o, b.o": the objects live keeps that refer to name; NULL if none. */
static char *users_left(const struct link *live, const struct object *old, const char *name)
{
    struct strbuf list = {0};
    for (size_t i = 0; i < live->by_name.cap; i++) {
        const struct object *user = live->by_name.slots[i].value;
        if (user && !user->superseded && refers_to(user, old, name))
            sb_printf(&list, "%s%s", list.s ? ", " : "", path_shown(user->name));
    }
    return list.s;
}

/* Does the list users_left made name more than one object? */
static bool several(const char *users)
{
    return strchr(users, ',') != NULL;
}

static void check_function(const struct link *live, struct version_types *was, struct version_types *now,
                           const struct func *f, struct bind_result *r)
{
    const char *name = now->obj->syms[f->symbol]->name;
    const char *old_type = type_of(was, name), *new_type = type_of(now, name);
    if (!old_type || !new_type || !strcmp(old_type, new_type))
        return;
    char *callers = users_left(live, was->obj, name), *shown = source_name(name);
    if (callers)
        ARRAY_PUSH(r->warnings, r->nwarnings, r->capwarnings,
                   xasprintf("%s: '%s' is now '%s', was '%s', and %s call%s it as it was: rebuild %s, or %s "
                             "calls pass what the old declaration said",
                             path_shown(now->obj->name), shown, new_type, old_type, callers,
                             several(callers) ? "" : "s", callers, several(callers) ? "their" : "its"));
    xfree(callers);
    xfree(shown);
}

void signatures_begin(struct signature_check *c, const struct link *live, struct object *old, struct object *new,
                      struct bind_result *r)
{
    *c = (struct signature_check){live, r, {old, NULL, NULL}, {new, NULL, NULL}};
}

void signature_check_changed(struct signature_check *c, const struct func *f)
{
    if (!c->now.obj->syms[f->symbol]->global || !(c->was.di = object_dwarf(c->was.obj)) ||
        !(c->now.di = object_dwarf(c->now.obj)))
        return; /* object_dwarf reads each object's once */
    check_function(c->live, &c->was, &c->now, f, c->r);
}

void signatures_end(struct signature_check *c)
{
    if (c->was.types)
        ctypes_free(c->was.types);
    if (c->now.types)
        ctypes_free(c->now.types);
}

/* Does the migration carry the value as it is (bytes or bits), not
 * convert it (widened, float to double, an enum renumbered)? */
static bool keeps_representation(const struct copy_op *op)
{
    return op->kind == COPY_BYTES || op->kind == COPY_BITS_SIGNED || op->kind == COPY_BITS_UNSIGNED;
}

/* Is every part of the old layout where it was, the same size and kind,
 * in the new one (fields added at the end or in padding)? A user's
 * migration function (no plan) may have moved anything. */
static bool old_layout_holds(const struct var_migration *m)
{
    if (!m->plan || m->plan->ndropped)
        return false;
    for (size_t i = 0; i < m->plan->nops; i++) {
        const struct copy_op *op = &m->plan->ops[i];
        if (op->from != op->to || op->from_size != op->to_size || op->from_bit != op->to_bit ||
            !keeps_representation(op))
            return false;
    }
    return true;
}

/* " (level added)": what the migration changed, if it says. */
static char *what_changed(const struct var_migration *m)
{
    return m->plan && m->plan->changes ? xasprintf(" (%s)", m->plan->changes) : xstrdup("");
}

void note_changed_layouts(const struct link *live, struct object *old, struct bind_result *r, size_t first)
{
    for (size_t i = first; i < r->nmigrations; i++) {
        const struct var_migration *m = &r->migrations[i];
        const struct symbol *s = strmap_get(&live->symtab, m->name);
        if (!s || !s->global || s->file != old || old_layout_holds(m))
            continue;
        char *users = users_left(live, old, m->name);
        if (!users)
            continue;
        char *shown = source_name(m->name), *changes = what_changed(m);
        ARRAY_PUSH(r->warnings, r->nwarnings, r->capwarnings,
                   xasprintf("%s: '%s' changed type%s, and %s use%s it as it was: rebuild %s, or %s reads and "
                             "writes go to the old layout",
                             path_shown(old->name), shown, changes, users, several(users) ? "" : "s", users,
                             several(users) ? "their" : "its"));
        xfree(users);
        xfree(shown);
        xfree(changes);
    }
}
