/* COMDAT groups (SHT_GROUP) and .gnu.linkonce sections: the first object
 * that brings a group keeps it, later copies are discarded, as GNU ld does
 * for inline functions, templates and vtables emitted in several objects. */
#include <string.h>

#include "linker.h"
#include "util.h"

/* Claim signature for obj; false if another object already owns it. */
static bool claim(struct link *ld, const char *signature, struct object *obj)
{
    struct strmap_slot *s = strmap_slot(&ld->groups, signature);
    if (!s->value)
        s->value = obj;
    return s->value == obj;
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
    if (claim(ld, obj->syms[sh.sh_info]->name, obj))
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (w[i] == 0 || w[i] >= obj->nsecs)
            return fail("%s: group section '%s' names section %u, out of range", obj->name, g->name, w[i]);
        obj->secs[w[i]].discarded = true;
    }
    return 0;
}

int comdat_select(struct link *ld, struct object *obj)
{
    for (size_t i = 1; i < obj->nsecs; i++) {
        struct section *s = &obj->secs[i];
        if (s->type == SHT_GROUP && select_group(ld, obj, s) < 0)
            return -1;
        if (!strncmp(s->name, ".gnu.linkonce.", 14) && !claim(ld, s->name, obj))
            s->discarded = true;
    }
    return 0;
}
