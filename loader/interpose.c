/* The program's exported definitions come first, as an executable's do in
 * ld.so's global scope. The exports objects (exports.c) join that scope
 * after the libraries the link loaded, so two things are put right each
 * time they are published:
 *   - a definition of an exported name in one of the link's libraries is
 *     taken out of ld.so's lookups (its entry becomes undefined, as ld.so
 *     skips), so plugins loaded later and dlsym(RTLD_DEFAULT) find the
 *     program's, and it is put back if the program stops exporting it;
 *   - every word a loaded library's relocations bound to an exported
 *     name, or to a stand-in (a variable of the program a library read
 *     before the program was laid out), is made to hold what ld.so's
 *     lookup finds now: the program's definition.
 * The libraries hotld itself runs on (libc, libelf, ...) were loaded
 * before any link and are left alone: their definitions come before the
 * program's, and they never bind to it (docs/ARCHITECTURE.md, Exports). */
#include <dlfcn.h>
#include <link.h>
#include <string.h>

#include "linker.h"
#include "util.h"

/* The objects loaded before any link: hotld's own. */
static uintptr_t *startup;
static size_t nstartup, capstartup;
static bool startup_noted;

/* The link's libraries, there when the program was first published: they
 * come before its exports in the global scope. */
static uintptr_t *before;
static size_t nbefore, capbefore;
static bool before_noted;

/* A library definition taken out of the lookups, and what it was. */
struct hidden {
    uintptr_t base;             /* the library's */
    Elf64_Sym *at;
    Elf64_Sym was;
    int prot;                   /* of its page */
    const char *name;
};
static struct hidden *hidden;
static size_t nhidden, caphidden;

static bool listed(const uintptr_t *bases, size_t n, uintptr_t base)
{
    for (size_t i = 0; i < n; i++)
        if (bases[i] == base)
            return true;
    return false;
}

static int note_startup_object(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size, (void)data;
    ARRAY_PUSH(startup, nstartup, capstartup, info->dlpi_addr);
    return 0;
}

void interpose_note_startup(void)
{
    if (!startup_noted)
        dl_iterate_phdr(note_startup_object, NULL);
    startup_noted = true;
}

bool interpose_is_program_library(const struct dl_phdr_info *info)
{
    return startup_noted && info->dlpi_name[0] && !listed(startup, nstartup, info->dlpi_addr) &&
           !exports_is_object(info->dlpi_addr);
}

static int note_before(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size, (void)data;
    if (interpose_is_program_library(info))
        ARRAY_PUSH(before, nbefore, capbefore, info->dlpi_addr);
    return 0;
}

struct pass {
    const struct dl_phdr_info *info;
    struct library_tables t;
    int rc;
};

static void hide(const char *name, Elf64_Sym *s, void *ctx)
{
    struct pass *p = ctx;
    int type = ELF64_ST_TYPE(s->st_info);
    if (!library_is_visible_definition(s) || type == STT_GNU_IFUNC || type == STT_TLS || !exports_has(name) ||
        p->rc < 0)
        return;
    struct hidden h = {p->info->dlpi_addr, s, *s, library_page_prot(p->info, (uintptr_t)s), name};
    Elf64_Sym none = *s;
    none.st_shndx = SHN_UNDEF;
    none.st_value = 0;
    p->rc = library_write(s, &none, sizeof none, h.prot);
    if (p->rc == 0)
        ARRAY_PUSH(hidden, nhidden, caphidden, h);
}

/* What a word relocated against name must hold: ld.so's answer now. */
static void bind(const char *name, const Elf64_Sym *s, const Elf64_Rela *r, void *ctx)
{
    struct pass *p = ctx;
    uint32_t type = ELF64_R_TYPE(r->r_info);
    (void)s;
    if (p->rc < 0 || (type != R_X86_64_GLOB_DAT && type != R_X86_64_JUMP_SLOT && type != R_X86_64_64) ||
        !exports_has_entry(name))
        return;
    uintptr_t to = (uintptr_t)dlsym(RTLD_DEFAULT, name), at = p->info->dlpi_addr + r->r_offset;
    if (!to) {
        p->rc = fail("%s: cannot load shared library: undefined symbol: %s", p->info->dlpi_name, name);
        return;
    }
    uint64_t want = to + (type == R_X86_64_64 ? (uint64_t)r->r_addend : 0), have;
    memcpy(&have, (const void *)at, sizeof have);
    if (have != want)
        p->rc = library_write((void *)at, &want, sizeof want, library_page_prot(p->info, at));
}

static void hide_named(const char *name, void *ctx)
{
    struct pass *p = ctx;
    struct library_key key = library_key(name);
    library_each_named(&p->t, &key, hide, p);
}

/* Each definition of an exported name: looked up by name when the
 * program exports fewer names than the library defines (it mostly
 * exports a few), else found by walking the library's table. */
static void hide_exported(struct pass *p)
{
    const Elf64_Dyn *dynamic = library_dynamic(p->info);
    p->t = library_tables(dynamic, p->info->dlpi_addr);
    if (exports_count() < library_symbol_count(&p->t))
        exports_each(hide_named, p);
    else
        library_each_definition(dynamic, p->info->dlpi_addr, hide, p);
}

static int visit(struct dl_phdr_info *info, size_t size, void *data)
{
    struct pass *p = data;
    (void)size;
    if (!interpose_is_program_library(info))
        return 0;
    p->info = info;
    if (listed(before, nbefore, info->dlpi_addr))
        hide_exported(p);
    library_each_reference(library_dynamic(info), info->dlpi_addr, bind, p);
    return p->rc < 0;
}

/* Definitions hidden for a name the program no longer exports come back. */
static int restore_hidden(void)
{
    for (size_t i = 0; i < nhidden;) {
        if (exports_has(hidden[i].name)) {
            i++;
            continue;
        }
        if (library_write(hidden[i].at, &hidden[i].was, sizeof hidden[i].was, hidden[i].prot) < 0)
            return -1;
        hidden[i] = hidden[--nhidden];
    }
    return 0;
}

bool interpose_hid(const Elf64_Sym *entry)
{
    for (size_t i = 0; i < nhidden; i++)
        if (hidden[i].at == entry)
            return true;
    return false;
}

void *interpose_hidden(void *handle, const char *name)
{
    struct link_map *lm = NULL;
    if (!nhidden || dlinfo(handle, RTLD_DI_LINKMAP, &lm) != 0) /* most links hide nothing */
        return NULL;
    for (size_t i = 0; i < nhidden; i++)
        if (hidden[i].base == lm->l_addr && !strcmp(hidden[i].name, name))
            return (void *)(lm->l_addr + hidden[i].was.st_value);
    return NULL;
}

int interpose_on_libraries(void)
{
    if (!before_noted)
        dl_iterate_phdr(note_before, NULL);
    before_noted = true;
    if (restore_hidden() < 0)
        return -1;
    struct pass p = {0};
    dl_iterate_phdr(visit, &p);
    return p.rc;
}
