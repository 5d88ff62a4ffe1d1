/* Shared libraries are loaded by the system's dynamic linker (dlopen) and
 * queried with dlsym, so symbol versions, IFUNCs and library constructors
 * behave exactly as in a dynamically linked executable. */
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>

#include "linker.h"
#include "util.h"

/* The symbol a failed dlopen names as undefined, or NULL. */
static char *undefined_symbol(const char *why)
{
    const char *at = why ? strstr(why, "undefined symbol: ") : NULL;
    return at ? strndup(at + 18, strcspn(at + 18, ",")) : NULL; /* ", version V" */
}

/* A library that calls back into the program (its functions are exported
 * once it is linked, exports.c) binds those calls lazily, at the first.
 * Its data references cannot wait: each variable dlopen names gets a
 * stand-in, which interpose.c replaces by the program's definition once
 * it is laid out (or reports as undefined). */
static void *open_calling_back(const char *path, char **why)
{
    for (int tries = 0; tries < 10000; tries++) {
        void *handle = dlopen(path, RTLD_LAZY | RTLD_GLOBAL);
        if (handle)
            return handle;
        xfree(*why);
        *why = xstrdup(dlerror());
        char *name = undefined_symbol(*why);
        int rc = name ? exports_stand_in(name) : -1;
        xfree(name);
        if (rc < 0)
            return NULL;
    }
    return NULL;
}

/* Sanitizer runtimes whose constructor insists on being the process's
 * first library (ASan's, TSan's; gcc's and clang's): dlopened after it
 * started, they end it. */
static bool must_come_first(const char *path)
{
    static const char *const runtimes[] = {"libasan.so", "libtsan.so", "libhwasan.so", "libclang_rt.asan",
                                           "libclang_rt.tsan", "libclang_rt.hwasan"};
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    for (size_t i = 0; i < ARRAY_SIZE(runtimes); i++)
        if (!strncmp(base, runtimes[i], strlen(runtimes[i])))
            return true;
    return false;
}

/* Libraries the last failed load needed loaded as the process started,
 * in LD_PRELOAD's form (a sanitizer's runtime first). */
static char *to_preload;

void dso_preload_at_start(const char *path, bool first)
{
    if (to_preload && strstr(to_preload, path))
        return;
    char *was = to_preload;
    to_preload = !was ? xstrdup(path) : first ? xasprintf("%s:%s", path, was) : xasprintf("%s:%s", was, path);
    xfree(was);
}

const char *dso_libraries_to_preload(void)
{
    return to_preload;
}

struct dso *dso_new(const char *path, bool as_needed)
{
    if (must_come_first(path) && !dlopen(path, RTLD_LAZY | RTLD_NOLOAD)) {
        dso_preload_at_start(path, true);
        fail("%s: a sanitizer's runtime, which must be the process's first library (preload it)", path);
        return NULL;
    }
    struct dso *d = xcalloc(1, sizeof *d);
    d->path = xstrdup(path);
    d->as_needed = as_needed;
    interpose_note_startup();
    /* An AS_NEEDED library that is already in the process costs nothing;
     * otherwise it is opened only if a symbol is still missing. */
    d->handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL | (as_needed ? RTLD_NOLOAD : 0));
    char *why = d->handle || as_needed ? NULL : xstrdup(dlerror());
    if (why && strstr(why, "undefined symbol"))
        d->handle = open_calling_back(path, &why);
    if (!d->handle && !as_needed) {
        fail("%s: cannot load shared library: %s", path, why);
        xfree(why);
        xfree(d->path);
        xfree(d);
        return NULL;
    }
    xfree(why);
    return d;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static bool in_library(const Dl_info *info, const void *addr)
{
    Dl_info other;
    return addr && dladdr(addr, &other) && other.dli_fbase == info->dli_fbase;
}

/* Is the object holding a definition one that a real program's lookup
 * scope puts before libc: the executable itself, an LD_PRELOAD library, or
 * the sanitizer runtime that an instrumented build of hotld loads first? */
static bool is_interposer(const Dl_info *info)
{
    static const char *const runtimes[] = {"__asan_init", "__tsan_init", "__msan_init"};
    if (in_library(info, (void *)is_interposer))
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(runtimes); i++)
        if (in_library(info, dlsym(RTLD_DEFAULT, runtimes[i])))
            return true;
    const char *preload = getenv("LD_PRELOAD");
    if (!preload || !info->dli_fname)
        return false;
    char *list = xstrdup(preload), *save = NULL;
    bool found = false;
    for (char *p = strtok_r(list, " :", &save); p && !found; p = strtok_r(NULL, " :", &save))
        found = same_file(p, info->dli_fname);
    xfree(list);
    return found;
}

/* The definition a dynamically linked executable would bind name to, given
 * that p is the one found in our libraries: an interposing definition
 * (LD_PRELOAD'ed malloc, a sanitizer runtime's interceptors) wins, or the
 * program's free() would not match libc's internal malloc(). */
void *dso_interpose(const char *name, void *p)
{
    void *q = dlsym(RTLD_DEFAULT, name);
    Dl_info info;
    if (q && q != p && dladdr(q, &info) && is_interposer(&info))
        return q;
    return p;
}

/* The span of the library's loaded segments, found once with
 * dl_iterate_phdr by its load address: it answers dso_holds with two
 * comparisons, where dladdr would cost a search per symbol. */
struct span_search {
    const struct link_map *map;
    uintptr_t lo, hi;
};

static int find_span(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct span_search *q = arg;
    (void)size;
    if (info->dlpi_addr != q->map->l_addr || strcmp(info->dlpi_name, q->map->l_name))
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
        if (ph->p_type != PT_LOAD)
            continue;
        q->lo = q->lo && q->lo < lo ? q->lo : lo;
        q->hi = q->hi > hi ? q->hi : hi;
    }
    return 1;
}

/* Is p in d itself, not in a library d depends on? */
bool dso_holds(struct dso *d, const void *p)
{
    if (!d->handle)
        return false;
    if (!d->span_hi) {
        struct span_search q = {NULL, 0, 0};
        if (dlinfo(d->handle, RTLD_DI_LINKMAP, &q.map) != 0 || !dl_iterate_phdr(find_span, &q))
            return false;
        d->span_lo = q.lo, d->span_hi = q.hi;
    }
    return (uintptr_t)p >= d->span_lo && (uintptr_t)p < d->span_hi;
}

struct code_search {
    uintptr_t addr;
    bool in_code;
};

static int find_code_segment(struct dl_phdr_info *info, size_t size, void *data)
{
    struct code_search *q = data;
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const Elf64_Phdr *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && q->addr >= start && q->addr < start + ph->p_memsz) {
            q->in_code = ph->p_flags & PF_X;
            return 1;
        }
    }
    return 0;
}

/* Is addr in a loaded library's (or hotld's) code: is the symbol there a
 * function? dlsym gives an IFUNC's choice, which need not have a symbol
 * of its own (memcpy's does not), so the segment decides. */
bool is_code_address(uintptr_t addr)
{
    struct code_search q = {addr, false};
    return dl_iterate_phdr(find_code_segment, &q) && q.in_code;
}

/* A symbol's address in d (or a library d depends on), or NULL. */
void *dso_lookup(struct dso *d, const char *name, bool open_as_needed)
{
    if (!d->handle) {
        if (!open_as_needed)
            return NULL;
        d->handle = dlopen(d->path, RTLD_NOW | RTLD_GLOBAL);
        d->as_needed = false;
        if (!d->handle)
            return NULL;
    }
    dlerror();
    const char *at = strchr(name, '@');
    void *p;
    if (at) { /* "memcpy@GLIBC_2.2.5" from a .symver directive */
        char *base = strndup(name, at - name);
        p = dlvsym(d->handle, base, at + 1 + (at[1] == '@'));
        xfree(base);
    } else {
        p = dlsym(d->handle, name);
    }
    if (dlerror()) /* not there, or hidden while the program defined it too (interpose.c):
                      a reload that removes the program's binds to it */
        return interpose_hidden(d->handle, name);
    return p;
}

struct own_search {
    const struct library_tables *t;
    const Elf64_Sym *found;
    int candidates;             /* entries dlsym could take */
};

static void note_candidate(const char *name, Elf64_Sym *s, void *ctx)
{
    struct own_search *q = ctx;
    (void)name;
    if (s->st_shndx != SHN_UNDEF && library_is_default_version(q->t, s)) {
        q->found = s;
        q->candidates++;
    }
}

/* An entry whose address is the library's base plus its value, as ld.so
 * gives it: a function or a variable (no IFUNC, which dlsym resolves; no
 * thread-local one; no absolute one), global or weak, default-visible,
 * not at 0 (which ld.so passes over). */
static bool is_plain_definition(const Elf64_Sym *s)
{
    int type = ELF64_ST_TYPE(s->st_info);
    return library_is_visible_definition(s) && s->st_shndx != SHN_ABS && s->st_value &&
           (type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE || type == STT_COMMON);
}

static bool read_tables(struct dso *d)
{
    struct link_map *lm = NULL;
    if (!d->tables_read && dlinfo(d->handle, RTLD_DI_LINKMAP, &lm) == 0 && lm) {
        d->tables = library_tables(lm->l_ld, lm->l_addr);
        d->base = lm->l_addr;
        d->tables_read = true;
    }
    return d->tables_read && (d->tables.gnu_hash || d->tables.sysv_hash);
}

/* dlsym on the dynamic linker's own handle finds none of its symbols
 * (__tls_get_addr, _dl_find_object): what dso_lookup makes of them, it
 * must answer. */
static bool is_dynamic_linker(const struct dso *d)
{
    return d->base == getauxval(AT_BASE);
}

enum dso_own dso_own_definition(struct dso *d, struct library_key *key, void **addr)
{
    if (!d->handle || strchr(key->name, '@') || !read_tables(d) || is_dynamic_linker(d))
        return DSO_ASK;
    struct own_search q = {&d->tables, NULL, 0};
    library_each_named(&d->tables, key, note_candidate, &q);
    if (!q.candidates)
        return interpose_hidden(d->handle, key->name) ? DSO_ASK : DSO_LACKS;
    if (q.candidates > 1 || !is_plain_definition(q.found))
        return DSO_ASK;
    *addr = (void *)(d->base + q.found->st_value);
    return DSO_DEFINES;
}
