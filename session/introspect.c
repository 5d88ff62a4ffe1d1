/* The program's view of its own image (hotld.h): hotld_lookup(name) and
 * hotld_symbols(fn, ctx), served from the program's records: the live
 * symbol table, and each object's current version with its own symbols.
 * They run in the program's threads, under the program's lock, so that a
 * reload (which holds it) never changes the tables under them. */
#include "introspect.h"

#include <string.h>

#include "forkgate.h"
#include "hotld.h"
#include "util.h"

static struct program *program;

/* Where the calling thread finds s: a thread-local variable's address is
 * its own copy's. */
static void *address_of(const struct symbol *s)
{
    struct tls_place place;
    if (s->type == STT_TLS)
        return tls_locate(s->addr, &place) == 0 ? (void *)(thread_pointer() + place.tpoff) : NULL;
    return (void *)s->addr;
}

static bool is_listed(const struct symbol *s, const struct object *obj)
{
    return s && s->kind == SYM_DEFINED && s->sec && s->sec->obj == obj && s->name && *s->name &&
           (s->type == STT_FUNC || s->type == STT_OBJECT || s->type == STT_TLS) && s->addr;
}

/* A function, a variable or a thread-local variable by name: a global
 * first, else the first local of that name in the program's objects. */
static void *lookup(const char *name)
{
    void *found = NULL;
    forkgate_lock(&program->lock);
    struct symbol *g = name ? strmap_get(&program->live->symtab, name) : NULL;
    if (g && g->kind == SYM_DEFINED && g->addr)
        found = address_of(g);
    const struct strmap *objs = &program->live->by_name;
    for (size_t i = 0; name && !found && i < objs->cap; i++) {
        const struct object *obj = objs->slots[i].value;
        for (size_t j = 1; obj && j < obj->nsyms && !found; j++)
            if (is_listed(obj->syms[j], obj) && !strcmp(obj->syms[j]->name, name))
                found = address_of(obj->syms[j]);
    }
    pthread_mutex_unlock(&program->lock);
    return found;
}

static int visit_object(const struct object *obj, int (*fn)(const struct hotld_symbol *, void *), void *ctx,
                        int *count)
{
    static const int kinds[] = {[STT_FUNC] = HOTLD_FUNCTION, [STT_OBJECT] = HOTLD_OBJECT, [STT_TLS] = HOTLD_TLS};
    for (size_t j = 1; j < obj->nsyms; j++) {
        const struct symbol *s = obj->syms[j];
        if (!is_listed(s, obj))
            continue;
        struct hotld_symbol h = {s->name, address_of(s), (unsigned long)s->size, kinds[s->type], obj->name,
                                 program_version_of(program, obj)};
        ++*count;
        if (fn(&h, ctx))
            return 1;
    }
    return 0;
}

/* Every function and variable of the program's current objects, until fn
 * returns non-zero; returns how many fn saw. */
static int symbols(int (*fn)(const struct hotld_symbol *, void *), void *ctx)
{
    int count = 0;
    if (!fn)
        return 0;
    forkgate_lock(&program->lock);
    const struct strmap *objs = &program->live->by_name;
    for (size_t i = 0; i < objs->cap; i++)
        if (objs->slots[i].value && visit_object(objs->slots[i].value, fn, ctx, &count))
            break;
    pthread_mutex_unlock(&program->lock);
    return count;
}

void introspect_define(struct program *pg)
{
    program = pg;
    strmap_slot(&pg->host, "__hotld_lookup")->value = (void *)lookup;
    strmap_slot(&pg->host, "__hotld_symbols")->value = (void *)symbols;
}
