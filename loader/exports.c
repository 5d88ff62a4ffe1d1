/* The program's dynamic symbols: what a linked executable built with
 * -rdynamic (or --dynamic-list) exports, so that the libraries it loads
 * later (Python's extension modules, Lua's C modules, plugins) resolve
 * their undefined symbols against it, and dlsym(RTLD_DEFAULT) finds them.
 *
 * ld.so only looks symbols up in objects it loaded, so each link's exports
 * become one: a minimal shared object made in memory (memfd), whose
 * dynamic symbol table lists every exported symbol as SHN_ABS, its value
 * the symbol's address in the image (glibc takes SHN_ABS values as they
 * are, since 2.28), with a SysV hash table for lookups. It is dlopened
 * RTLD_GLOBAL before the program's constructors run, so it joins the
 * global scope every later dlopen searches.
 *
 * The table's page is mapped writable (nothing else writes it), so that
 * a reload can keep it true: a symbol whose address changed gets the new
 * one, a symbol no longer defined becomes undefined (ld.so skips it), and
 * the symbols a reload adds go into a new object of their own. */
#include <dlfcn.h>
#include <fnmatch.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linker.h"
#include "util.h"

/* One loaded exports object: its mapped symbol table. */
struct exports_object {
    void *handle;
    uintptr_t base;             /* its link map's l_addr */
    int fd;
    Elf64_Sym *syms;            /* the mapped .dynsym (writable) */
    const char *names;          /* the mapped .dynstr */
    size_t nsyms;
};

static struct exports_object **objects;
static size_t nobjects, capobjects;
static struct strmap exported; /* name -> struct exports_object entry, as (obj << 32 | index) + 1 */

/* A library of the link, whose dynamic symbol table names what the
 * program exports, as ld exports it: a definition the library has there,
 * defined or referred to. Its definitions are looked up in its own hash
 * table; the names its relocations refer to that are none of its
 * definitions (undefined there: malloc in libstdc++) are kept. */
struct wanting {
    struct library_tables t;
    struct strmap refs;
};
static struct wanting *wantings;
static size_t nwantings, capwantings;

/* One it defines, or did before interpose.c hid it for the program's. */
static void note_definition(const char *name, Elf64_Sym *s, void *found)
{
    (void)name;
    *(bool *)found |= library_is_visible_definition(s) || interpose_hid(s);
}

/* Does a library of the link have name in its dynamic symbol table? */
static bool is_wanted(const char *name)
{
    struct library_key key = library_key(name);
    for (size_t i = 0; i < nwantings; i++) {
        bool defined = false;
        library_each_named(&wantings[i].t, &key, note_definition, &defined);
        if (defined || strmap_get(&wantings[i].refs, name))
            return true;
    }
    return false;
}

/* Is s one the program exports? Defined here, global, visible, not
 * thread-local (an absolute symbol cannot say where a thread's copy is),
 * and chosen by the options, or named in one of its libraries' dynamic
 * symbol tables (as ld exports it for them). */
static bool is_exported(const struct link_options *o, const struct symbol *s)
{
    if (!s->global || s->hidden || s->type == STT_TLS || s->type == STT_SECTION || s->type == STT_FILE ||
        (s->kind != SYM_DEFINED && s->kind != SYM_COMMON) || (s->sec && s->sec->discarded))
        return false;
    if (o->exports == EXPORT_ALL || is_wanted(s->name))
        return true;
    for (size_t i = 0; i < o->ndynamic_list; i++)
        if (!fnmatch(o->dynamic_list[i], s->name, 0))
            return true;
    return false;
}

/* The object file: headers, dynamic section, hash table, symbols, names,
 * each 8-byte aligned; one PT_LOAD maps it all, read-write. */
struct layout {
    size_t dyn, hash, sym, str, size;
    size_t nbucket;
};

static struct layout lay_out(size_t nsyms, size_t strsz)
{
    struct layout l;
    l.nbucket = nsyms | 1;
    l.dyn = sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr);
    l.hash = l.dyn + 8 * sizeof(Elf64_Dyn);
    l.sym = ALIGN_UP(l.hash + (2 + l.nbucket + nsyms) * 4, 8);
    l.str = l.sym + nsyms * sizeof(Elf64_Sym);
    l.size = ALIGN_UP(l.str + strsz, 8);
    return l;
}

static void write_headers(char *f, const struct layout *l, size_t strsz)
{
    Elf64_Ehdr *eh = (Elf64_Ehdr *)f;
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_DYN;
    eh->e_machine = EM_X86_64;
    eh->e_version = EV_CURRENT;
    eh->e_phoff = sizeof *eh;
    eh->e_ehsize = sizeof *eh;
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = 3;
    Elf64_Phdr *ph = (Elf64_Phdr *)(f + sizeof *eh);
    ph[0] = (Elf64_Phdr){PT_LOAD, PF_R | PF_W, 0, 0, 0, l->size, l->size, (uint64_t)sysconf(_SC_PAGESIZE)};
    ph[1] = (Elf64_Phdr){PT_DYNAMIC, PF_R | PF_W, l->dyn, l->dyn, l->dyn, 8 * sizeof(Elf64_Dyn),
                         8 * sizeof(Elf64_Dyn), 8};
    /* without it, ld.so would make every thread's stack executable */
    ph[2] = (Elf64_Phdr){PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16};
    Elf64_Dyn dyn[8] = {
        {DT_HASH, {l->hash}},   {DT_SYMTAB, {l->sym}},  {DT_SYMENT, {sizeof(Elf64_Sym)}},
        {DT_STRTAB, {l->str}},  {DT_STRSZ, {strsz}},    {DT_FLAGS, {DF_BIND_NOW}},
        {DT_NULL, {0}},         {DT_NULL, {0}},
    };
    memcpy(f + l->dyn, dyn, sizeof dyn);
}

static Elf64_Sym absolute_symbol(const struct symbol *s, uint32_t name)
{
    int type = s->type == STT_FUNC || s->type == STT_GNU_IFUNC ? STT_FUNC : STT_OBJECT;
    if (s->type == STT_NOTYPE)
        type = STT_NOTYPE;
    return (Elf64_Sym){name, ELF64_ST_INFO(STB_GLOBAL, type), STV_DEFAULT, SHN_ABS, s->addr, s->size};
}

/* Symbols, names and hash chains of syms[0..n) (entry 0 is the null
 * symbol ld.so expects). */
static void write_table(char *f, const struct layout *l, struct symbol **syms, size_t n)
{
    uint32_t *hash = (uint32_t *)(f + l->hash);
    uint32_t *bucket = hash + 2, *chain = bucket + l->nbucket;
    Elf64_Sym *out = (Elf64_Sym *)(f + l->sym);
    char *str = f + l->str;
    size_t at = 1;
    hash[0] = (uint32_t)l->nbucket;
    hash[1] = (uint32_t)(n + 1);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(syms[i]->name) + 1;
        memcpy(str + at, syms[i]->name, len);
        out[i + 1] = absolute_symbol(syms[i], (uint32_t)at);
        at += len;
        uint32_t b = (uint32_t)(elf_hash(syms[i]->name) % l->nbucket); /* libelf's: ld.so's SysV hash */
        chain[i + 1] = bucket[b];
        bucket[b] = (uint32_t)(i + 1);
    }
}

static void remember(struct exports_object *e)
{
    size_t k = nobjects;
    ARRAY_PUSH(objects, nobjects, capobjects, e);
    for (size_t i = 1; i < e->nsyms; i++)
        strmap_slot(&exported, e->names + e->syms[i].st_name)->value = (void *)((k << 32 | i) + 1);
}

/* Write the object for syms[0..n) into a memfd and dlopen it. */
static int load_object(struct symbol **syms, size_t n)
{
    size_t strsz = 1;
    for (size_t i = 0; i < n; i++)
        strsz += strlen(syms[i]->name) + 1;
    struct layout l = lay_out(n + 1, strsz);
    char *f = xcalloc(1, l.size);
    write_headers(f, &l, strsz);
    write_table(f, &l, syms, n);
    int fd = memfd_create("hotld-exports", MFD_CLOEXEC);
    bool written = fd >= 0 && write(fd, f, l.size) == (ssize_t)l.size;
    xfree(f);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)getpid(), fd);
    void *handle = written ? dlopen(path, RTLD_NOW | RTLD_GLOBAL) : NULL;
    if (!handle) {
        const char *why = written ? dlerror() : "cannot write it";
        if (fd >= 0)
            close(fd);
        return fail("cannot publish the program's exported symbols: %s", why ? why : "?");
    }
    struct link_map *lm = NULL;
    dlinfo(handle, RTLD_DI_LINKMAP, &lm);
    struct exports_object *e = xcalloc(1, sizeof *e);
    *e = (struct exports_object){handle, lm->l_addr, fd, (Elf64_Sym *)(lm->l_addr + l.sym),
                                 (const char *)(lm->l_addr + l.str), n + 1};
    remember(e);
    return 0;
}

static Elf64_Sym *exported_entry(const char *name)
{
    uintptr_t v = (uintptr_t)strmap_get(&exported, name);
    return v ? &objects[(v - 1) >> 32]->syms[(v - 1) & 0xffffffff] : NULL;
}

static void note_reference(const char *name, const Elf64_Sym *s, const Elf64_Rela *r, void *refs)
{
    (void)r;
    if (!library_is_visible_definition(s))
        strmap_slot(refs, name)->value = (void *)1;
}

/* The link's libraries not noted yet (each once: reloads link the same
 * ones); how many there were. */
static size_t note_wanted(const struct link *ld)
{
    size_t noted = 0;
    for (size_t i = 0; i < ld->ndsos; i++) {
        struct dso *d = ld->dsos[i];
        struct link_map *lm = NULL;
        if (!d->handle || d->wants_noted)
            continue;
        d->wants_noted = true;
        if (dlinfo(d->handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
            continue;
        struct wanting w = {library_tables(lm->l_ld, lm->l_addr), {0}};
        if (!w.t.syms || !w.t.strs)
            continue;
        library_each_reference(lm->l_ld, lm->l_addr, note_reference, &w.refs);
        ARRAY_PUSH(wantings, nwantings, capwantings, w);
        noted++;
    }
    return noted;
}

/* Each name already published gets what the link says of it now: its
 * address, or undefined (ld.so then skips it). */
static void refresh(const struct link *ld)
{
    for (size_t i = 0; i < exported.cap; i++) {
        if (!exported.slots[i].key)
            continue;
        Elf64_Sym *e = exported_entry(exported.slots[i].key);
        const struct symbol *s = strmap_get(&ld->symtab, exported.slots[i].key);
        bool now = s && is_exported(ld->opts, s);
        e->st_shndx = now ? SHN_ABS : SHN_UNDEF;
        e->st_value = now ? s->addr : 0;
        e->st_size = now ? s->size : 0;
    }
}

/* s, if it is to be exported and is not yet. */
static void consider(const struct link_options *o, struct symbol *s, struct symbol ***fresh, size_t *n,
                     size_t *cap)
{
    if (s && is_exported(o, s) && !exported_entry(s->name))
        ARRAY_PUSH(*fresh, *n, *cap, s);
}

/* The definitions of changed's objects (each once, where defined). */
static void consider_defined(const struct link_options *o, const struct link *changed, struct symbol ***fresh,
                             size_t *n, size_t *cap)
{
    for (size_t i = 0; i < changed->nobjs; i++)
        for (size_t j = 1; j < changed->objs[i]->nsyms; j++)
            if (changed->objs[i]->syms[j]->file == changed->objs[i])
                consider(o, changed->objs[i]->syms[j], fresh, n, cap);
}

int exports_publish(struct link *ld, const struct link *changed)
{
    bool new_wants = note_wanted(ld) > 0;
    if (ld->opts->exports == EXPORT_NONE && !nwantings)
        return 0; /* nothing could be: no walk over every symbol at start or per reload */
    refresh(ld);
    struct symbol **fresh = NULL;
    size_t n = 0, cap = 0;
    if (changed && !new_wants) { /* only its definitions are new: a reload costs what changed */
        consider_defined(ld->opts, changed, &fresh, &n, &cap);
    } else {
        for (size_t i = 0; i < ld->symtab.cap; i++)
            consider(ld->opts, ld->symtab.slots[i].value, &fresh, &n, &cap);
    }
    int rc = n ? load_object(fresh, n) : 0;
    xfree(fresh);
    return rc < 0 ? rc : interpose_on_libraries();
}

/* What a stand-in's address names: never written, and read (as zeros)
 * only by a library's constructor, before the program is laid out. */
static const char stand_in_storage[64] __attribute__((aligned(64)));

int exports_stand_in(const char *name)
{
    if (exported_entry(name))
        return fail("undefined symbol: %s", name); /* it has one: nothing defines it */
    struct symbol s = {.name = name, .type = STT_OBJECT, .addr = (uintptr_t)stand_in_storage,
                       .size = sizeof stand_in_storage};
    struct symbol *one = &s;
    return load_object(&one, 1);
}

bool exports_is_object(uintptr_t base)
{
    for (size_t i = 0; i < nobjects; i++)
        if (objects[i]->base == base)
            return true;
    return false;
}

bool exports_has_entry(const char *name)
{
    return exported_entry(name) != NULL;
}

bool exports_has(const char *name)
{
    return exports_name(name) != NULL;
}

const char *exports_name(const char *name)
{
    uintptr_t v = (uintptr_t)strmap_get(&exported, name);
    if (!v)
        return NULL;
    const struct exports_object *o = objects[(v - 1) >> 32];
    const Elf64_Sym *e = &o->syms[(v - 1) & 0xffffffff];
    return e->st_shndx != SHN_UNDEF ? o->names + e->st_name : NULL;
}

void exports_each(void (*fn)(const char *name, void *ctx), void *ctx)
{
    for (size_t i = 0; i < exported.cap; i++)
        if (exported.slots[i].key && exports_has(exported.slots[i].key))
            fn(exported.slots[i].key, ctx);
}

size_t exports_count(void)
{
    return exported.len;
}
