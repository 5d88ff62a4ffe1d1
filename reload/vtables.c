/* C++ vtables across reloads. An object keeps the vptr its constructor
 * stored: an address inside the vtable of the version that made it. A
 * vtable is constant data, so each version lays out its own, and new code
 * calls methods by the slot numbers of the new class. If the new class
 * has other methods in its slots (virtual methods reordered, added before
 * others, an override added or removed), an object made earlier would
 * run the wrong method, silently.
 *
 * So each new vtable is compared, slot by slot, with every copy earlier
 * versions laid out (recorded in program.vtables): a slot holds the same
 * method if it names the same function (by symbol, or for a static one by
 * the function at its place), or the same library function, or the same
 * constant (offsets to the top and to virtual bases). Typeinfo slots are
 * not compared: each version has its own typeinfo object. A changed
 * table of the same size is copied over the earlier copies at the commit,
 * so earlier objects dispatch as new ones do (their data layout is the
 * variables' business, not the vtable's). A table that shrank to the
 * same slots as the start of an earlier copy needs nothing: objects made
 * earlier find in theirs every slot new code calls. A table that grew at
 * its end (a virtual method declared after the others), whose earlier
 * slots are the same, cannot be copied over a smaller copy; instead the
 * pointers into that copy, the early objects' vptrs, are led to the same
 * offset in the new table by the commit's pointer scan (as a changed
 * constant's, constants.c), when it follows the heap's pointers. Any
 * other change of size would have objects made earlier index past their
 * table or call the wrong methods: --on-conflict decides (abort, ask, or
 * reload anyway with a warning naming the class). */
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "demangle.h"
#include "patch.h"
#include "plan.h"
#include "util.h"

static bool is_vtable(const struct symbol *s, const struct object *obj)
{
    return s->type == STT_OBJECT && s->kind == SYM_DEFINED && s->file == obj && s->sec && s->sec->out &&
           s->size >= 8 && !strncmp(s->name, "_ZTV", 4);
}

void program_record_vtables(struct program *pg, const struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++) {
        const struct object *obj = ld->objs[i];
        for (size_t k = 1; k < obj->nsyms; k++) {
            const struct symbol *s = obj->syms[k];
            if (s && is_vtable(s, obj))
                ARRAY_PUSH(pg->vtables, pg->nvtables, pg->capvtables,
                           ((struct vtable_copy){xstrdup(s->name), s->addr, s->size,
                                                 segment_prot(s->sec->out->seg)}));
        }
    }
}

/* The relocation of sec at offset, if any. */
static const Elf64_Rela *rela_at(const struct section *sec, uint64_t offset)
{
    for (size_t i = 0; i < sec->nrelas; i++)
        if (sec->relas[i].r_offset == offset)
            return &sec->relas[i];
    return NULL;
}

/* Is one of the names of the function of obj at offset of sec this one?
 * A function may have several: g++ makes a class's complete-object and
 * base-object destructors (D1, D2) one function, which a vtable names by
 * one and the program's table of functions may know by the other. */
static bool function_at_is(struct object *obj, const struct section *sec, uint64_t offset, const char *name)
{
    size_t n;
    const struct func *fs = object_functions(obj, &n);
    for (size_t i = 0; name && i < n; i++)
        if (fs[i].sec == sec && fs[i].offset == offset && !strcmp(fs[i].name, name))
            return true;
    return false;
}

/* The function an old slot holds, by name; NULL for a library's. */
static const char *old_function(const struct program *pg, uintptr_t word)
{
    const struct object *obj;
    const struct func *f = function_starting_at(pg, word, &obj);
    return f ? f->name : NULL;
}

/* Does the old slot hold what the new table's slot at offset will? */
static bool same_slot(const struct program *pg, struct object *obj, const struct symbol *vt, uint64_t offset,
                      uintptr_t old)
{
    const struct section *sec = vt->sec;
    const Elf64_Rela *r = rela_at(sec, vt->value + offset);
    if (!r) { /* a constant: an offset to the top or to a virtual base */
        uint64_t now;
        memcpy(&now, (const uint8_t *)sec->data + vt->value + offset, 8);
        return now == old;
    }
    const struct symbol *t = obj->syms[ELF64_R_SYM(r->r_info)];
    if (t->type == STT_SECTION && !(t->sec && (t->sec->flags & SHF_EXECINSTR)))
        return true; /* a local typeinfo, through its section */
    const char *was = old_function(pg, old);
    if (t->type == STT_SECTION)
        return t->sec && function_at_is(obj, t->sec, (uint64_t)r->r_addend, was);
    if (t->type == STT_OBJECT || !strncmp(t->name, "_ZTI", 4))
        return true; /* typeinfo: each version has its own */
    if (!was)
        return old == t->addr + (uint64_t)r->r_addend;
    return !strcmp(was, t->name) ||
           (t->file == obj && t->sec && function_at_is(obj, t->sec, t->value + (uint64_t)r->r_addend, was));
}

/* Do the first n bytes of the old copy hold what vt's do? */
static bool same_table(const struct program *pg, struct object *obj, const struct symbol *vt,
                       const struct vtable_copy *old, uint64_t n)
{
    for (uint64_t off = 0; off + 8 <= n; off += 8)
        if (!same_slot(pg, obj, vt, off, *(const uintptr_t *)(old->addr + off)))
            return false;
    return true;
}

/* "Square" from "_ZTV6Square". */
static char *class_name(const char *vtable)
{
    char *full = demangle(vtable);
    const char *prefix = "vtable for ";
    char *name = full && !strncmp(full, prefix, strlen(prefix)) ? xstrdup(full + strlen(prefix))
                                                                : xstrdup(vtable);
    xfree(full);
    return name;
}

/* A vtable that changed size: abort, or reload with a warning. */
static int size_conflict(struct plan *p, const struct object *obj, const struct symbol *vt,
                         const struct vtable_copy *old)
{
    char *cls = class_name(vt->name), *what = xasprintf("class '%s'", cls);
    char *why = xasprintf("its vtable changed size (%lu -> %lu entries), and objects made before this reload "
                          "would call the wrong methods through the old one", (unsigned long)old->size / 8,
                          (unsigned long)vt->size / 8);
    int rc = class_conflict(&p->binds, obj, what, why);
    xfree(why);
    xfree(what);
    xfree(cls);
    return rc;
}

/* The objects pointing into the old copy of a table that grew at its
 * end are led into the new one, at the same offsets. */
static void follow_into(struct plan *p, const struct symbol *vt, const struct vtable_copy *old)
{
    struct constant_move moved = {old->addr, vt->addr, old->size, false, vt->name};
    ARRAY_PUSH(p->binds.repoints, p->binds.nrepoints, p->binds.caprepoints, moved);
}

/* "DONE 'Class' of OBJ: WHY", in the report. */
static void note_vtable(struct plan *p, const struct object *obj, const struct symbol *vt, const char *done,
                        const char *why)
{
    char *cls = class_name(vt->name);
    ARRAY_PUSH(p->binds.notes, p->binds.nnotes, p->binds.capnotes,
               xasprintf("%s '%s' of %s: %s", done, cls, path_shown(obj->name), why));
    xfree(cls);
}

/* The new vtable vt of obj against every earlier copy of it. */
static int plan_vtable(const struct program *pg, struct plan *p, struct object *obj, const struct symbol *vt)
{
    bool told = false, rewritten = false, followed = false;
    bool heap_followed = obj->link->opts->rewrite_pointers == POINTERS_ALL;
    uint64_t was = 0;
    for (size_t i = 0; i < pg->nvtables; i++) {
        const struct vtable_copy *old = &pg->vtables[i];
        if (strcmp(old->name, vt->name) || old->addr == vt->addr)
            continue;
        if (old->size == vt->size) {
            if (!same_table(pg, obj, vt, old, vt->size)) {
                ARRAY_PUSH(p->overwrites, p->noverwrites, p->capoverwrites,
                           ((struct overwrite){old->addr, vt->addr, vt->size, old->prot}));
                rewritten = true;
            }
        } else if (old->size > vt->size && same_table(pg, obj, vt, old, vt->size)) {
            continue; /* shrank: the early objects' tables hold what new code calls */
        } else if (old->size < vt->size && heap_followed && same_table(pg, obj, vt, old, old->size)) {
            follow_into(p, vt, old);
            followed = true;
            was = old->size;
        } else {
            if (!told && size_conflict(p, obj, vt, old) < 0)
                return -1;
            told = true;
        }
    }
    if (rewritten)
        note_vtable(p, obj, vt, "rewrote the vtable of",
                    "its methods changed slots, and objects made earlier use the new table");
    if (followed) {
        char *why = xasprintf("the objects made earlier, as it grew at its end from %lu to %lu entries",
                              (unsigned long)was / 8, (unsigned long)vt->size / 8);
        note_vtable(p, obj, vt, "moved to the new vtable of", why);
        xfree(why);
    }
    return 0;
}

int plan_vtables(const struct program *pg, struct plan *p)
{
    for (size_t i = 0; i < p->nl->nobjs; i++) {
        struct object *obj = p->nl->objs[i];
        for (size_t k = 1; k < obj->nsyms; k++)
            if (obj->syms[k] && is_vtable(obj->syms[k], obj) && plan_vtable(pg, p, obj, obj->syms[k]) < 0)
                return -1;
    }
    return 0;
}
