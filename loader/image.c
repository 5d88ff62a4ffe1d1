/* The link pipeline, pass by pass:
 *   read      inputs -> objects, archives, shared libraries
 *   resolve   archive members to a fixpoint, then shared libraries
 *   layout    output sections, segments, GOT, stubs, addresses
 *   relocate  copy section bytes into the image and patch them
 *   publish   set page protections, register unwind tables, find the
 *             entry point and constructors
 * Each pass reports the first error and stops; nothing runs until every
 * pass has succeeded. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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
            free(obj->syms[i]);
    free(obj->syms);
    for (size_t i = 1; i < obj->nsecs; i++)
        free(obj->secs[i].binds);
    free(obj->secs);
    free(obj->funcs);
    elf_end(obj->elf);
    file_release(&obj->file);
    free(obj->name);
    free(obj);
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
            free(s);
    }
    free(obj->syms);
    obj->syms = NULL;
    obj->nsyms = 0;
    for (size_t i = 1; i < obj->nsecs; i++) {
        free(obj->secs[i].binds);
        obj->secs[i].binds = NULL;
        obj->secs[i].nbinds = 0;
        obj->secs[i].data = NULL;
        obj->secs[i].relas = NULL;
        obj->secs[i].nrelas = 0;
    }
    free(obj->funcs);
    obj->funcs = NULL;
    obj->nfuncs = 0;
    elf_end(obj->elf);
    obj->elf = NULL;
    file_release(&obj->file);
}

static void free_archive(struct archive *ar)
{
    for (size_t i = 0; i < ar->pulled.cap; i++)
        free((char *)ar->pulled.slots[i].key);
    strmap_free(&ar->pulled);
    strmap_free(&ar->index);
    if (ar->elf)
        elf_end(ar->elf);
    file_release(&ar->file);
    free(ar->name);
    free(ar);
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
        free(ld->dsos[i]->path);
        free(ld->dsos[i]);
    }
    for (size_t i = 0; i < ld->symtab.cap; i++)
        free(ld->symtab.slots[i].value);
    for (size_t i = 0; i < ld->ncommons; i++)
        free(ld->commons[i]);
    for (size_t i = 0; i < ld->noutsecs; i++) {
        free(ld->outsecs[i]->in);
        free(ld->outsecs[i]);
    }
    for (size_t i = 0; i < ld->nsearchdirs; i++)
        free(ld->searchdirs[i]);
    struct image *im = ld->image;
    free(im->preinit);
    free(im->init);
    free(im->fini);
    free(im->eh_frames);
    free(im);
    strmap_free(&ld->symtab);
    strmap_free(&ld->groups);
    strmap_free(&ld->seen);
    strmap_free(&ld->by_name);
    strmap_free(&ld->archives_by_name);
    free(ld->objs);
    free(ld->archives);
    free(ld->dsos);
    free(ld->undefs);
    free(ld->superseded);
    free(ld->commons);
    free(ld->outsecs);
    free(ld->got);
    free(ld->stubs);
    free(ld->searchdirs);
    free(ld);
}

/* After a reload's commit: what only the link itself used goes (its own
 * symbol table, now merged into the live one, and its work lists); the
 * objects, their sections and the image stay with the running program. */
void link_trim(struct link *ld)
{
    for (size_t i = 0; i < ld->symtab.cap; i++)
        free(ld->symtab.slots[i].value);
    strmap_free(&ld->symtab);
    strmap_free(&ld->groups);
    strmap_free(&ld->seen);
    for (size_t i = 0; i < ld->nsearchdirs; i++)
        free(ld->searchdirs[i]);
    free(ld->searchdirs);
    free(ld->undefs);
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

/* The entry symbol is a strong reference, so an archive may provide it.
 * A link without one (entry NULL) is loaded for its functions and data
 * alone (hotld --print and --call without a session). */
static void require_entry(struct link *ld)
{
    if (!ld->opts->entry)
        return;
    struct symbol *s = symtab_get(ld, ld->opts->entry);
    if (s->kind == SYM_UNDEF && s->bind == STB_WEAK) {
        s->bind = STB_GLOBAL;
        ARRAY_PUSH(ld->undefs, ld->nundefs, ld->capundefs, s);
    }
}

static int find_entry(struct link *ld)
{
    if (!ld->opts->entry)
        return 0;
    struct symbol *s = strmap_get(&ld->symtab, ld->opts->entry);
    if (!s || s->kind != SYM_DEFINED || !s->addr)
        return fail("entry symbol '%s' is not defined by any object%s", ld->opts->entry,
                    !strcmp(ld->opts->entry, "main") ? " (no main function)" : "");
    ld->image->entry = s->addr;
    return 0;
}

int segment_prot(enum segment seg)
{
    static const int prot[NSEGMENTS] = {
        [SEG_TEXT] = PROT_READ | PROT_EXEC,
        [SEG_RODATA] = PROT_READ,
        [SEG_RELRO] = PROT_READ,
        [SEG_DATA] = PROT_READ | PROT_WRITE,
    };
    return prot[seg];
}

static void copy_sections(struct link *ld)
{
    for (size_t i = 0; i < ld->noutsecs; i++) {
        struct outsec *o = ld->outsecs[i];
        for (size_t j = 0; j < o->nin; j++) {
            struct section *s = o->in[j];
            if (s->data && !s->storage_unused)
                memcpy(image_bytes(ld->image, s->addr), s->data, s->size);
            if (s->flags & SHF_EXECINSTR)
                memset(image_bytes(ld->image, s->addr + s->size), 0xcc, padding_after(s));
        }
    }
}

/* Apply one pass's relocations: the first visits every section, the
 * later ones only those the first left something in. */
static int relocate_pass(struct link *ld, enum reloc_pass pass)
{
    for (size_t i = 0; i < ld->noutsecs; i++) {
        struct outsec *o = ld->outsecs[i];
        for (size_t j = 0; j < o->nin; j++) {
            struct section *s = o->in[j];
            if (s->storage_unused || (pass != RELOC_PLAIN && !s->deferred))
                continue;
            if (relocate_section(ld, s, pass) < 0)
                return -1;
        }
    }
    return 0;
}

/* The passes: plain relocations; then the TLS block, its initialization
 * image now final, goes to ld.so, which says where it is, and the TLS
 * relocations follow; then the IFUNC resolvers, which may call through
 * the GOT and stubs, run, and the references to their symbols follow. */
int link_relocate(struct link *ld)
{
    copy_sections(ld);
    if (relocate_pass(ld, RELOC_PLAIN) < 0 || tls_publish(ld) < 0 ||
        relocate_pass(ld, RELOC_TLS) < 0)
        return -1;
    write_got_and_stubs(ld);
    int ifuncs = ifunc_resolve(ld);
    if (ifuncs < 0 || (ifuncs && relocate_pass(ld, RELOC_IFUNC) < 0))
        return -1;
    if (ifuncs)
        write_got_and_stubs(ld); /* the slots and stubs of IFUNCs, now resolved */
    struct image *im = ld->image;
    for (int seg = 0; seg < NSEGMENTS && !im->bias; seg++)
        if (region_protect(im->seg_start[seg], im->seg_end[seg] - im->seg_start[seg],
                           segment_prot(seg)) < 0)
            return -1;
    return 0;
}

void link_publish(struct link *ld)
{
    register_eh_frames(ld);
    collect_init_fini(ld);
    for (size_t i = 0; i < ld->narchives; i++)
        archive_release_if_unused(ld->archives[i]);
}

void link_unpublish(struct link *ld)
{
    deregister_eh_frames(ld);
}

int link_read(struct link *ld)
{
    double t = now_ms();
    if (link_add_inputs(ld) < 0)
        return -1;
    phase_done("read", t);
    return 0;
}

int link_resolve_and_lay_out(struct link *ld)
{
    double t = now_ms();
    if (ld->opts->live)
        incremental_mark_superseded(ld);
    else
        require_entry(ld);
    if (link_resolve(ld) < 0 || (ld->opts->live && incremental_check_references(ld) < 0))
        return -1;
    phase_done("resolve", t);
    t = now_ms();
    if (link_layout(ld) < 0 || link_bind_linker_symbols(ld) < 0 ||
        (!ld->opts->live && find_entry(ld) < 0))
        return -1;
    phase_done("layout", t);
    return 0;
}

int link_build(struct link *ld)
{
    return link_read(ld) < 0 ? -1 : link_resolve_and_lay_out(ld);
}

int link_load(struct link *ld)
{
    if (link_build(ld) < 0)
        return -1;
    double t = now_ms();
    if (link_relocate(ld) < 0)
        return -1;
    phase_done("relocate", t);
    t = now_ms();
    link_publish(ld);
    phase_done("publish", t);
    return 0;
}
