/* A constant is not state: a reload gives an edited table its new value,
 * in the new version's read-only data, and the new code reads it there.
 * But a kept variable may point at the old table (cur = &defaults), and
 * so may the heap and the stacks; left so, the program would see the
 * edit through the code and not through its own pointers, two versions
 * of one table at once. So the old table is treated as storage that
 * moved: the commit's pointer scan leads those pointers to the new one,
 * at the same offset (or, if its size changed, those to its start), as
 * it does for a migrated variable. A table whose bytes and relocations
 * did not change is left alone, and so are anonymous constants (string
 * literals), which no name ties across versions, and a function's
 * constants gcc numbers (__func__.1, table.0): the numbers follow the
 * file's order, and the same name in two versions may be two functions'
 * (a reload that swapped two functions led pointers kept to one's
 * __func__ to the other's). */
#include "constants.h"

#include <string.h>

#include "localscope.h"
#include "sameinit.h"
#include "util.h"

static bool is_vtable_or_typeinfo(const char *name)
{
    return !strncmp(name, "_ZT", 3) && strchr("VISTC", name[3]);
}

/* An assembler's label (clang's .L.str, kept as a symbol when compiled
 * from preprocessed source) or a merged constant: anonymous, a literal. */
static bool is_literal(const struct symbol *s)
{
    return !strncmp(s->name, ".L", 2) || (s->sec->flags & SHF_MERGE);
}

/* A weak or COMDAT definition: what a compiler makes for every object
 * that needs it (a C++ template's static, D's TypeInfo and initializers),
 * the same wherever it is made, and which the runtime may hold by
 * identity. Not a table the user edits in one file. */
static bool is_shared_instance(const struct symbol *s)
{
    return s->bind == STB_WEAK || (s->sec->flags & SHF_GROUP);
}

bool is_named_constant(const struct symbol *s, const struct object *obj)
{
    const struct section *sec = s->sec;
    if (!sec || s->file != obj || s->kind != SYM_DEFINED || s->type != STT_OBJECT || !s->size || !sec->out)
        return false;
    bool read_only = !(sec->flags & SHF_WRITE) || !strncmp(sec->name, ".data.rel.ro", 12);
    return (sec->flags & SHF_ALLOC) && !(sec->flags & (SHF_EXECINSTR | SHF_TLS)) && read_only &&
           !is_vtable_or_typeinfo(s->name) && !is_literal(s) && !is_shared_instance(s) && !symbol_numbered(s);
}

/* A name two of an object's constants have (an ld -r object's statics),
 * which tells neither apart: in a constants_by_name map, its value. */
static struct symbol two_of_a_name;

/* obj's constants by name, into an empty map. */
static void constants_by_name(struct object *obj, struct strmap *m)
{
    for (size_t i = 1; i < obj->nsyms; i++) {
        struct symbol *s = obj->syms[i];
        if (is_named_constant(s, obj)) {
            struct strmap_slot *slot = strmap_slot(m, s->name);
            slot->value = slot->value ? &two_of_a_name : s;
        }
    }
}

/* The one constant of this name in the map; NULL if none, or two. */
static struct symbol *only_constant(const struct strmap *m, const char *name)
{
    struct symbol *s = strmap_get(m, name);
    return s == &two_of_a_name ? NULL : s;
}

/* obj's one constant of this name (a map made for one question). */
static struct symbol *constant_named(struct object *obj, const char *name)
{
    struct strmap m = {0};
    constants_by_name(obj, &m);
    struct symbol *s = only_constant(&m, name);
    strmap_free(&m);
    return s;
}

bool constant_follows(struct object *old, const struct symbol *o, struct object *new, const struct symbol *n,
                      uint64_t offset)
{
    return is_named_constant(o, old) && is_named_constant(n, new) && !strcmp(o->name, n->name) &&
           (o->size == n->size ? offset < o->size : offset == 0) && constant_named(old, o->name) == o &&
           constant_named(new, n->name) == n;
}

void repoint_changed_constants(struct object *old, struct object *new, struct bind_result *r)
{
    struct rela_order old_order = {0}, new_order = {0};
    struct strmap old_constants = {0}, new_constants = {0};
    constants_by_name(old, &old_constants);
    constants_by_name(new, &new_constants);
    for (size_t i = 1; i < new->nsyms; i++) {
        struct symbol *n = new->syms[i], *o;
        if (!is_named_constant(n, new) || only_constant(&new_constants, n->name) != n ||
            !(o = only_constant(&old_constants, n->name)))
            continue;
        if (o->size == n->size && same_initial_value(&old_order, o, &new_order, n))
            continue;
        struct constant_move moved = {o->addr, n->addr, o->size, o->size != n->size, n->name};
        ARRAY_PUSH(r->repoints, r->nrepoints, r->caprepoints, moved);
    }
    rela_order_free(&old_order);
    rela_order_free(&new_order);
    strmap_free(&old_constants);
    strmap_free(&new_constants);
}
