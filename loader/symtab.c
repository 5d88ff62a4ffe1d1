/* The global symbol table and GNU ld's rules for combining definitions:
 * strong beats weak, the first weak wins among weaks, common symbols merge
 * to the largest size and alignment and yield to a strong definition, and
 * two strong definitions are an error that names both objects. */
#include <stdlib.h>

#include "linker.h"
#include "util.h"

struct symbol *symtab_get(struct link *ld, const char *name)
{
    struct strmap_slot *slot = strmap_slot(&ld->symtab, name);
    if (!slot->value) {
        struct symbol *s = xcalloc(1, sizeof *s);
        s->name = name;
        s->kind = SYM_UNDEF;
        s->bind = STB_WEAK; /* until a strong reference is seen */
        s->got = s->tls_got = s->stub = -1;
        s->global = true;
        slot->value = s;
    }
    return slot->value;
}

void symbol_take_definition(struct symbol *g, const struct symbol *l)
{
    g->kind = l->kind;
    g->bind = l->bind;
    g->type = l->type;
    g->file = l->file;
    g->sec = l->sec;
    g->value = l->value;
    g->size = l->size;
    g->align = l->align;
    g->addr = l->addr;
    g->call_addr = l->call_addr;
}

static void add_reference(struct link *ld, struct symbol *g, const struct symbol *l)
{
    if (!g->referrer)
        g->referrer = l->file;
    if (g->kind == SYM_UNDEF && l->type == STT_TLS) /* a library's thread-local variable, wherever it binds */
        g->type = STT_TLS;
    /* Only strong references pull archive members (weak ones never do). */
    if (g->kind == SYM_UNDEF && l->bind != STB_WEAK && g->bind == STB_WEAK) {
        g->bind = STB_GLOBAL;
        g->referrer = l->file;
        ARRAY_PUSH(ld->undefs, ld->nundefs, ld->capundefs, g);
    }
}

static void add_common(struct symbol *g, const struct symbol *l)
{
    if (g->kind == SYM_UNDEF || (g->kind == SYM_DEFINED && g->bind == STB_WEAK)) {
        symbol_take_definition(g, l);
    } else if (g->kind == SYM_COMMON) {
        if (l->size > g->size) {
            g->size = l->size;
            g->file = l->file;
        }
        if (l->align > g->align)
            g->align = l->align;
    }
}

static int add_definition(struct symbol *g, const struct symbol *l)
{
    if (g->kind == SYM_UNDEF || (g->kind == SYM_COMMON && l->bind != STB_WEAK) ||
        (g->kind == SYM_DEFINED && g->bind == STB_WEAK && l->bind != STB_WEAK)) {
        symbol_take_definition(g, l);
    } else if (g->kind == SYM_DEFINED && g->bind != STB_WEAK && l->bind != STB_WEAK) {
        return fail("duplicate symbol '%s': defined in %s and in %s", g->name, g->file->name,
                    l->file->name);
    }
    return 0;
}

/* In a reload, a weak or common definition gives way to the running
 * program's definition of the name in an object that stays, as a later
 * object's does to an earlier one's in a full link: that one holds the
 * program's state, which a new definition would start again. */
static bool yields_to_program(struct link *ld, const struct symbol *l)
{
    const struct link_hooks *h = ld->opts->hooks;
    return h && l->bind != STB_GLOBAL && (l->kind == SYM_DEFINED || l->kind == SYM_COMMON) &&
           h->defined_by_staying(ld, l->name);
}

int symtab_add_object(struct link *ld, struct object *obj)
{
    for (size_t i = 1; i < obj->nsyms; i++) {
        struct symbol *l = obj->syms[i];
        if (l->bind == STB_LOCAL)
            continue;
        if (l->bind != STB_GLOBAL && l->bind != STB_WEAK && l->bind != STB_GNU_UNIQUE)
            return fail("%s: symbol '%s': unknown binding %u", obj->name, l->name, l->bind);
        struct symbol *g = symtab_get(ld, l->name);
        g->hidden |= l->hidden;
        if (l->kind == SYM_UNDEF || (l->sec && l->sec->discarded) || yields_to_program(ld, l))
            add_reference(ld, g, l);
        else if (l->kind == SYM_COMMON)
            add_common(g, l);
        else if (add_definition(g, l) < 0)
            return -1;
        obj->syms[i] = g;
        xfree(l);
    }
    return 0;
}
