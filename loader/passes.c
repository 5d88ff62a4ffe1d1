/* The link pipeline, pass by pass (link_load runs them all):
 *   read      inputs -> objects, archives, shared libraries
 *   resolve   archive members to a fixpoint, then shared libraries
 *   layout    output sections, segments, GOT, stubs, addresses
 *   relocate  copy section bytes into the image and patch them, then
 *             set page protections
 *   publish   register unwind tables, find the constructors
 * Each pass reports the first error and stops; nothing runs until every
 * pass has succeeded. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "linker.h"
#include "util.h"

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
    write_eh_frame_hdr(ld);
    return 0;
}

/* A rehearsal's pages (bias) never run: they stay writable. */
int link_protect(struct link *ld)
{
    struct image *im = ld->image;
    for (int seg = 0; seg < NSEGMENTS && !im->bias; seg++) {
        uintptr_t start, end;
        segment_pages(im, seg, &start, &end);
        if (region_protect(start, end - start, segment_prot(seg)) < 0)
            return -1;
    }
    return 0;
}

static int relocate_and_protect(struct link *ld)
{
    return link_relocate(ld) < 0 ? -1 : link_protect(ld);
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

/* Run one pass, and with -v say how long it took. */
static int timed(const char *name, int (*pass)(struct link *), struct link *ld)
{
    double t = now_ms();
    if (pass(ld) < 0)
        return -1;
    phase_done(name, t);
    return 0;
}

/* A reload's link first marks what it replaces, and binds to the running
 * program; a first link needs its entry point. */
static int resolve(struct link *ld)
{
    const struct link_hooks *h = ld->opts->hooks;
    if (h)
        h->supersede(ld);
    else
        require_entry(ld);
    return link_resolve(ld) < 0 || (h && h->check_references(ld) < 0) ? -1 : 0;
}

static int lay_out(struct link *ld)
{
    if (link_layout(ld) < 0 || link_bind_linker_symbols(ld) < 0)
        return -1;
    return ld->opts->live ? 0 : find_entry(ld);
}

static int publish(struct link *ld)
{
    link_publish(ld);
    return 0;
}

int link_read(struct link *ld)
{
    return timed("read", link_add_inputs, ld);
}

int link_resolve_and_lay_out(struct link *ld)
{
    return timed("resolve", resolve, ld) < 0 ? -1 : timed("layout", lay_out, ld);
}

int link_build(struct link *ld)
{
    return link_read(ld) < 0 ? -1 : link_resolve_and_lay_out(ld);
}

int link_load(struct link *ld)
{
    if (link_build(ld) < 0 || timed("relocate", relocate_and_protect, ld) < 0)
        return -1;
    return timed("publish", publish, ld);
}
