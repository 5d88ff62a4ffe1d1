/* Libraries loaded after the program (plugins, extension modules) bind to
 * its exported symbols by name when they are loaded (exports.c): their
 * GOT slots then hold the symbols' addresses. A reload must not make
 * those stale silently:
 *   - an exported variable that moves to new storage, while a library
 *     refers to it, refuses the reload, naming the library: its slots
 *     would go on reaching the old storage;
 *   - an exported symbol that goes away while a library refers to it is
 *     said in the report: the library keeps the old definition.
 * Functions keep their first address across reloads, so a library's
 * calls reach the new code. */
#include <link.h>
#include <string.h>

#include "databind.h"
#include "plan.h"
#include "util.h"

struct ref_search {
    const char *name;
    const char *library;        /* the first library found referring to it */
};

/* A d_ptr of a library's dynamic section: ld.so relocates most in place,
 * not all (an offset is below the library's base). */
static uintptr_t dyn_address(const struct dl_phdr_info *info, uint64_t v)
{
    return v < info->dlpi_addr ? info->dlpi_addr + v : v;
}

struct dyn_tables {
    const Elf64_Sym *syms;
    const char *strs;
    const Elf64_Rela *rela[2];
    size_t nrela[2];
};

static bool read_dynamic(const struct dl_phdr_info *info, struct dyn_tables *t)
{
    memset(t, 0, sizeof *t);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type != PT_DYNAMIC)
            continue;
        for (const Elf64_Dyn *d = (const Elf64_Dyn *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
             d->d_tag != DT_NULL; d++) {
            switch (d->d_tag) {
            case DT_SYMTAB: t->syms = (const Elf64_Sym *)dyn_address(info, d->d_un.d_ptr); break;
            case DT_STRTAB: t->strs = (const char *)dyn_address(info, d->d_un.d_ptr); break;
            case DT_RELA: t->rela[0] = (const Elf64_Rela *)dyn_address(info, d->d_un.d_ptr); break;
            case DT_RELASZ: t->nrela[0] = d->d_un.d_val / sizeof(Elf64_Rela); break;
            case DT_JMPREL: t->rela[1] = (const Elf64_Rela *)dyn_address(info, d->d_un.d_ptr); break;
            case DT_PLTRELSZ: t->nrela[1] = d->d_un.d_val / sizeof(Elf64_Rela); break;
            }
        }
    }
    return t->syms && t->strs;
}

/* Does a relocation of the library name name, undefined there? */
static bool refers_to(const struct dyn_tables *t, const char *name)
{
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; t->rela[k] && i < t->nrela[k]; i++) {
            const Elf64_Sym *s = &t->syms[ELF64_R_SYM(t->rela[k][i].r_info)];
            if (ELF64_R_SYM(t->rela[k][i].r_info) && s->st_shndx == SHN_UNDEF && !strcmp(t->strs + s->st_name, name))
                return true;
        }
    return false;
}

static int find_referrer(struct dl_phdr_info *info, size_t size, void *data)
{
    struct ref_search *q = data;
    struct dyn_tables t;
    (void)size;
    if (!info->dlpi_name[0] || !read_dynamic(info, &t) || !refers_to(&t, q->name))
        return 0;
    q->library = info->dlpi_name;
    return 1;
}

/* The first loaded library that refers to name, or NULL. */
static const char *library_referring_to(const char *name)
{
    struct ref_search q = {name, NULL};
    dl_iterate_phdr(find_referrer, &q);
    return q.library;
}

/* What becomes of old's exported definitions in the new link: each that
 * moves, or goes, and that a library refers to, is refused or said. */
static int check_object(const struct link *nl, const struct object *old, struct bind_result *binds)
{
    for (size_t j = 1; j < old->nsyms; j++) {
        const struct symbol *s = old->syms[j], *now;
        const char *lib;
        if (!s->global || s->kind != SYM_DEFINED || s->file != old || !exports_has(s->name))
            continue;
        now = strmap_get(&nl->symtab, s->name);
        bool gone = !now || (now->kind != SYM_DEFINED && now->kind != SYM_COMMON);
        if (!gone && now->addr == s->addr)
            continue;
        if (!(lib = library_referring_to(s->name)))
            continue;
        if (!gone)
            return fail("exported variable '%s' of %s moves to new storage, and %s (loaded since) refers "
                        "to it: reload refused; keep the variable's type, or restart",
                        s->name, old->name, lib);
        ARRAY_PUSH(binds->warnings, binds->nwarnings, binds->capwarnings,
                   xasprintf("'%s' is gone from %s, but %s (loaded since) refers to it and keeps the old "
                             "definition", s->name, old->name, lib));
    }
    return 0;
}

int plugin_refs_check(struct plan *p)
{
    if (!exports_count())
        return 0;
    for (size_t i = 0; i < p->nl->nsuperseded; i++)
        if (check_object(p->nl, p->nl->superseded[i], &p->binds) < 0)
            return -1;
    return 0;
}
