/* A link's records: every object, archive, library, symbol and output
 * section it makes belongs to it, and goes with link_free. The image's
 * pages do not: they belong to the running program. */
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "util.h"

struct link *link_new(const struct link_options *opts)
{
    struct link *ld = xcalloc(1, sizeof *ld);
    ld->opts = opts;
    ld->tls_ld_got = -1;
    ld->image = xcalloc(1, sizeof *ld->image);
    return ld;
}

static void free_object(struct object *obj)
{
    for (size_t i = 0; i < obj->nsyms; i++)
        if (obj->syms[i] && !obj->syms[i]->global)
            xfree(obj->syms[i]);
    xfree(obj->syms);
    for (size_t i = 1; i < obj->nsecs; i++) {
        xfree(obj->secs[i].binds);
        xfree(obj->secs[i].uncompressed);
    }
    xfree(obj->secs);
    object_functions_free(obj);
    object_places_free(obj);
    object_dwarf_free(obj);
    elf_end(obj->elf);
    file_release(&obj->file);
    xfree(obj->name);
    xfree(obj);
}

/* Drop what only a link or a reload reads of an object: its file bytes,
 * libelf handle, private symbols and function list. Its code and data
 * stay mapped, and so do its section records (the generation's output
 * sections list them) and its name. Locals a GOT slot or stub refers to
 * stay too. */
void object_retire(struct object *obj)
{
    for (size_t i = 0; i < obj->nsyms; i++) {
        struct symbol *s = obj->syms[i];
        if (s && !s->global && s->got < 0 && s->stub < 0)
            xfree(s);
    }
    xfree(obj->syms);
    obj->syms = NULL;
    obj->nsyms = 0;
    for (size_t i = 1; i < obj->nsecs; i++) {
        xfree(obj->secs[i].binds);
        xfree(obj->secs[i].uncompressed);
        obj->secs[i].binds = NULL;
        obj->secs[i].uncompressed = NULL;
        obj->secs[i].nbinds = 0;
        obj->secs[i].data = NULL;
        obj->secs[i].relas = NULL;
        obj->secs[i].nrelas = 0;
    }
    object_functions_free(obj);
    object_places_free(obj);
    object_dwarf_free(obj);
    elf_end(obj->elf);
    obj->elf = NULL;
    file_release(&obj->file);
}

static void free_archive(struct archive *ar)
{
    strmap_free_owning_keys(&ar->pulled);
    strmap_free_owning_keys(&ar->twins);
    if (ar->elf)
        elf_end(ar->elf);
    file_release(&ar->file);
    xfree(ar->name);
    xfree(ar);
}

/* Free the link's records. The image's mapped memory is not touched: a
 * running program owns it. Shared libraries stay loaded for the same
 * reason. */
void link_free(struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++)
        free_object(ld->objs[i]);
    for (size_t i = 0; i < ld->narchives; i++)
        free_archive(ld->archives[i]);
    for (size_t i = 0; i < ld->ndsos; i++) {
        xfree(ld->dsos[i]->path);
        xfree(ld->dsos[i]);
    }
    for (size_t i = 0; i < ld->symtab.cap; i++)
        xfree(ld->symtab.slots[i].value);
    for (size_t i = 0; i < ld->ncommons; i++)
        xfree(ld->commons[i]);
    for (size_t i = 0; i < ld->noutsecs; i++) {
        xfree(ld->outsecs[i]->in);
        xfree(ld->outsecs[i]);
    }
    for (size_t i = 0; i < ld->nsearchdirs; i++)
        xfree(ld->searchdirs[i]);
    struct image *im = ld->image;
    xfree(im->preinit);
    xfree(im->init);
    xfree(im->fini);
    xfree(im->eh_frames);
    xfree(im);
    strmap_free(&ld->symtab);
    strmap_free(&ld->groups);
    strmap_free(&ld->seen);
    strmap_free(&ld->by_name);
    strmap_free(&ld->archives_by_name);
    xfree(ld->live_members);
    xfree(ld->objs);
    xfree(ld->archives);
    xfree(ld->dsos);
    xfree(ld->undefs);
    xfree(ld->superseded);
    xfree(ld->commons);
    xfree(ld->outsecs);
    xfree(ld->got);
    xfree(ld->stubs);
    xfree(ld->searchdirs);
    xfree(ld);
}

/* After a reload's commit: what only the link itself used goes (its own
 * symbol table, now merged into the live one, its names of objects and
 * archives, now the live link's, and its work lists); the objects, their
 * sections and the image stay with the running program. */
void link_trim(struct link *ld)
{
    for (size_t i = 0; i < ld->symtab.cap; i++)
        xfree(ld->symtab.slots[i].value);
    strmap_free(&ld->symtab);
    strmap_free(&ld->groups);
    strmap_free(&ld->seen);
    strmap_free(&ld->by_name);
    strmap_free(&ld->archives_by_name);
    xfree(ld->live_members);
    ld->live_members = NULL;
    ld->nlive_members = 0;
    for (size_t i = 0; i < ld->nsearchdirs; i++)
        xfree(ld->searchdirs[i]);
    xfree(ld->searchdirs);
    xfree(ld->undefs);
    ld->searchdirs = NULL;
    ld->undefs = NULL;
    ld->nsearchdirs = ld->nundefs = 0;
}

int link_add_object(struct link *ld, struct object *obj)
{
    ARRAY_PUSH(ld->objs, ld->nobjs, ld->capobjs, obj);
    obj->link = ld;
    strmap_slot(&ld->by_name, obj->name)->value = obj;
    if (ld->opts->live)
        strmap_slot(&ld->seen, obj->name)->value = obj;
    if (object_check_relocs(obj) < 0 || comdat_select(ld, obj) < 0)
        return -1;
    return symtab_add_object(ld, obj);
}

static int add_member(struct archive *ar, size_t off, void *ctx)
{
    bool fresh;
    struct object *obj = archive_extract(ar, off, &fresh);
    return !obj || (fresh && link_add_object(ctx, obj) < 0) ? -1 : 0;
}

int link_add_all_members(struct link *ld)
{
    for (size_t a = 0; a < ld->narchives; a++)
        if (archive_each_indexed_member(ld->archives[a], add_member, ld) < 0)
            return -1;
    return 0;
}

static int by_object_name(const void *a, const void *b)
{
    return strcmp((*(struct object *const *)a)->name, (*(struct object *const *)b)->name);
}

struct object **link_current_objects(const struct link *ld, size_t *n)
{
    struct object **objs = xcalloc(ld->by_name.cap + 1, sizeof *objs);
    *n = 0;
    for (size_t i = 0; i < ld->by_name.cap; i++)
        if (ld->by_name.slots[i].value)
            objs[(*n)++] = ld->by_name.slots[i].value;
    qsort(objs, *n, sizeof *objs, by_object_name);
    return objs;
}
