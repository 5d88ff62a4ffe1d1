/* COMDAT groups (SHT_GROUP) and .gnu.linkonce sections: the first object
 * that brings a group keeps it, later copies are discarded, as GNU ld does
 * for inline functions, templates and vtables emitted in several objects.
 * In a reload, an object of the running program that stays keeps the
 * groups it has: a group holds state too (an inline function's static, an
 * inline variable, a template's static member), which new copies would
 * start again from their initial values. */
#include <string.h>

#include "linker.h"
#include "util.h"

/* The running program's object that keeps the group of this signature
 * and stays: the one that defines the signature's symbol. */
static struct object *kept_by_program(struct link *ld, const char *signature)
{
    const struct link_hooks *h = ld->opts->hooks;
    return h ? h->defined_by_staying(ld, signature) : NULL;
}

/* Claim signature for obj; false if another object already owns it. */
static bool claim(struct link *ld, const char *signature, struct object *obj)
{
    struct strmap_slot *s = strmap_slot(&ld->groups, signature);
    if (!s->value) {
        struct object *program = kept_by_program(ld, signature);
        s->value = program ? program : obj;
    }
    return s->value == obj;
}

/* The section called name in the object that kept the group. */
static const struct section *kept_copy(const struct object *owner, const char *name)
{
    for (size_t i = 1; i < owner->nsecs; i++)
        if (!strcmp(owner->secs[i].name, name))
            return &owner->secs[i];
    return NULL;
}

static int select_group(struct link *ld, struct object *obj, struct section *g)
{
    GElf_Shdr sh;
    gelf_getshdr(elf_getscn(obj->elf, g->index), &sh);
    const Elf32_Word *w = (const Elf32_Word *)g->data;
    size_t n = g->size / sizeof *w;
    if (n == 0 || sh.sh_info >= obj->nsyms)
        return fail("%s: group section '%s' is malformed", obj->name, g->name);
    if (!(w[0] & GRP_COMDAT))
        return 0;
    const char *signature = obj->syms[sh.sh_info]->name;
    if (claim(ld, signature, obj))
        return 0;
    const struct object *owner = strmap_get(&ld->groups, signature);
    for (size_t i = 1; i < n; i++) {
        if (w[i] == 0 || w[i] >= obj->nsecs)
            return fail("%s: group section '%s' names section %u, out of range", obj->name, g->name, w[i]);
        obj->secs[w[i]].discarded = true;
        obj->secs[w[i]].kept = kept_copy(owner, obj->secs[w[i]].name);
    }
    return 0;
}

int comdat_select(struct link *ld, struct object *obj)
{
    for (size_t i = 1; i < obj->nsecs; i++) {
        struct section *s = &obj->secs[i];
        if (s->type == SHT_GROUP && select_group(ld, obj, s) < 0)
            return -1;
        if (starts_with(s->name, ".gnu.linkonce.") && !claim(ld, s->name, obj))
            s->discarded = true;
    }
    return 0;
}
