/* Every object's versions: which is current, which keep their records,
 * and which reload loaded each. */
#include <stdint.h>
#include <string.h>

#include "program.h"
#include "util.h"

/* obj becomes the current version of its name, first of the versions
 * most recently current. The one that leaves that list, unless it is the
 * first version (where &f leads), is read by nothing any more: only the
 * listed ones can be brought back (reuse.c), and the previous one is what
 * a rollback links again. Its records go (object_retire): reloading one
 * object a hundred times keeps five versions' records, not a hundred. */
static void make_current(struct program *pg, struct object *obj)
{
    struct strmap_slot *slot = strmap_slot(&pg->versions, obj->name);
    if (!slot->value)
        slot->value = xcalloc(1, sizeof(struct version_list));
    struct version_list *vl = slot->value;
    size_t at = 0, k = 0, left = SIZE_MAX;
    while (at < vl->n && vl->v[at] != obj)
        at++;
    if (at == vl->n)
        ARRAY_PUSH(vl->v, vl->n, vl->cap, obj);
    while (k < vl->nrecent && vl->recent[k] != at)
        k++;
    if (k == vl->nrecent) { /* not listed: it joins, the oldest may leave */
        if (vl->nrecent == VERSIONS_KEPT)
            left = vl->recent[--vl->nrecent];
        k = vl->nrecent++;
    }
    memmove(&vl->recent[1], &vl->recent[0], k * sizeof *vl->recent);
    vl->recent[0] = at;
    if (left != SIZE_MAX && left != 0 && vl->v[left]->elf) {
        program_rekey_names(pg, vl->v[left]);
        object_retire(vl->v[left]);
    }
}

void program_record_versions(struct program *pg, struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++)
        make_current(pg, ld->objs[i]);
}

/* Not before main: a 1,000-object start spent 1.3-1.8 ms on these
 * records, which nothing reads until a reload. */
void program_record_first(struct program *pg)
{
    if (pg->first_recorded || !pg->ngens)
        return;
    program_record_versions(pg, pg->gens[0]);
    program_record_vtables(pg, pg->gens[0]);
    pg->first_recorded = true;
}

unsigned program_version_of(const struct program *pg, const struct object *obj)
{
    for (size_t g = 0; g < pg->ngens; g++)
        if (pg->gens[g] == obj->link)
            return (unsigned)g;
    return 0;
}

void program_rekey_names(struct program *pg, const struct object *obj)
{
    struct strmap *syms = &pg->live->symtab;
    const char *lo = obj->file.bytes, *hi = lo + obj->file.size;
    if (!lo)
        return; /* an archive member: the archive keeps its bytes */
    for (size_t i = 0; i < syms->cap; i++) {
        struct strmap_slot *slot = &syms->slots[i];
        if (slot->key && slot->key >= lo && slot->key < hi) {
            char *copy = xstrdup(slot->key);
            slot->key = copy;
            ((struct symbol *)slot->value)->name = copy;
        }
    }
}
