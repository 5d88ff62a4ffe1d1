/* Libraries loaded after the program (plugins, extension modules) bind to
 * its exported symbols by name when they are loaded (exports.c): their
 * GOT slots, and data relocated against such a symbol, then hold its
 * address. A reload must not leave those stale:
 *   - an exported variable that moves to new storage is followed: each
 *     word of such a library whose relocation names it and which holds
 *     the old address (plus the addend) is planned here, before the
 *     threads are parked, and rewritten at the commit; a library that
 *     refers to it with no such word left (it copied the address
 *     elsewhere, or was never bound) refuses the reload, naming it;
 *   - an exported symbol that goes away while a library refers to it is
 *     said in the report: the library keeps the old definition.
 * Functions keep their first address across reloads, so a library's
 * calls reach the new code. */
#include <link.h>
#include <string.h>
#include <sys/mman.h>

#include "databind.h"
#include "patch.h"
#include "plan.h"
#include "util.h"

/* One symbol's search through the loaded libraries. */
struct ref_search {
    const char *name;
    uintptr_t was, now;         /* its old and new address (now 0: it goes) */
    struct plan *p;
    const char *library;        /* the first library that refers to it */
    const char *unfollowed;     /* one that refers to it with no word to follow */
    const struct dl_phdr_info *info; /* the library being visited */
    bool refers, followed;      /* whether it refers to it, and was followed */
};

/* A relocation of the library being visited (against a symbol it does
 * not define, or one the program's interposes on: interpose.c): if it names q's and its word holds the old address (plus the
 * addend), the word is planned. */
static void plan_word(const char *name, const Elf64_Sym *sym, const Elf64_Rela *r, void *ctx)
{
    (void)sym;
    struct ref_search *q = ctx;
    if (strcmp(name, q->name))
        return;
    q->refers = true;
    uint32_t type = ELF64_R_TYPE(r->r_info);
    uintptr_t at = q->info->dlpi_addr + r->r_offset;
    uint64_t addend = type == R_X86_64_64 ? (uint64_t)r->r_addend : 0, have;
    memcpy(&have, (const void *)at, 8);
    if (!q->now || (type != R_X86_64_GLOB_DAT && type != R_X86_64_64) || have != q->was + addend)
        return;
    struct library_slot slot = {at, q->now + addend, library_page_prot(q->info, at)};
    ARRAY_PUSH(q->p->library_slots, q->p->nlibrary_slots, q->p->caplibrary_slots, slot);
    q->followed = true;
}

static int visit_library(struct dl_phdr_info *info, size_t size, void *data)
{
    struct ref_search *q = data;
    (void)size;
    if (!interpose_is_program_library(info)) /* it never binds to the program */
        return 0;
    q->info = info;
    q->refers = q->followed = false;
    library_each_reference(library_dynamic(info), info->dlpi_addr, plan_word, q);
    if (q->refers && !q->library)
        q->library = info->dlpi_name;
    if (q->refers && q->now && !q->followed && !q->unfollowed)
        q->unfollowed = info->dlpi_name;
    return 0;
}

/* What becomes of old's exported definitions in the new link: each that
 * moves is followed in the libraries that refer to it, or refuses the
 * reload; each that goes, while a library refers to it, is said. */
static int check_object(struct plan *p, const struct object *old)
{
    for (size_t j = 1; j < old->nsyms; j++) {
        const struct symbol *s = old->syms[j], *now;
        if (!s->global || s->kind != SYM_DEFINED || s->file != old || !exports_has(s->name))
            continue;
        now = strmap_get(&p->nl->symtab, s->name);
        bool gone = !now || (now->kind != SYM_DEFINED && now->kind != SYM_COMMON);
        if (!gone && now->addr == s->addr)
            continue;
        struct ref_search q = {s->name, s->addr, gone ? 0 : now->addr, p, NULL, NULL, NULL, false, false};
        dl_iterate_phdr(visit_library, &q);
        if (q.unfollowed)
            return fail("exported variable '%s' of %s moves to new storage, and %s (loaded since) holds "
                        "its address where hotld cannot follow it: reload refused; keep the variable's "
                        "type, or restart", s->name, old->name, q.unfollowed);
        if (gone && q.library)
            ARRAY_PUSH(p->binds.warnings, p->binds.nwarnings, p->binds.capwarnings,
                       xasprintf("'%s' is gone from %s, but %s (loaded since) refers to it and keeps the "
                                 "old definition", s->name, old->name, q.library));
    }
    return 0;
}

int plugin_refs_check(struct plan *p)
{
    if (!exports_count())
        return 0;
    for (size_t i = 0; i < p->nl->nsuperseded; i++)
        if (check_object(p, p->nl->superseded[i]) < 0)
            return -1;
    return 0;
}

int plugin_refs_commit(const struct plan *p)
{
    int rc = 0;
    for (size_t i = 0; i < p->nlibrary_slots; i++)
        rc |= patch_write8(p->library_slots[i].at, p->library_slots[i].value, p->library_slots[i].prot);
    return rc;
}
