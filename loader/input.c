/* Turn command-line inputs into link inputs: relocatable objects, archives,
 * shared libraries, and the GNU ld scripts (GROUP/INPUT/AS_NEEDED) that
 * Debian installs as libc.so, libm.so and libgcc_s.so. -lNAME is searched
 * like gcc does: -L directories first, then gcc's own library path. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "hash.h"
#include "linker.h"
#include "realpath.h"
#include "util.h"

/* The whole file. The user's own files are read rather than mapped: a
 * compiler rewriting one in place during a reload must not be able to
 * change (or truncate) bytes under us. Libraries found on the library path
 * are installed files and are mapped, which saves copying libgcc.a, and
 * kept mapped for the next link (mapped.c). */
static bool in_system_dir(const char *path);

/* A file to read, opened by the command that asked for the reload if one
 * did: the session reads only what that command could read itself. The
 * system's libraries (libc's scripts, libgcc.a), readable by everyone,
 * it opens itself, saving a round trip each. */
static int open_input(const struct link *ld, const char *path)
{
    if (ld->opts->open_file && !in_system_dir(path))
        return ld->opts->open_file(ld->opts->open_ctx, path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    return fd < 0 ? fail("%s: %s", path, strerror(errno)) : fd;
}

int link_read_file(const struct link *ld, const char *path, bool map, struct file_data *f)
{
    if (map && mapped_file_kept(path, f))
        return 0;
    int fd = open_input(ld, path);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail("%s: not a regular file", path);
    }
    file_stamp_of(&st, &f->stamp);
    f->size = st.st_size;
    f->mapped = map && st.st_size > 0;
    if (f->mapped) {
        f->bytes = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (f->bytes == MAP_FAILED)
            return fail("%s: cannot map: %s", path, strerror(errno));
        mapped_file_keep(path, f);
        return 0;
    }
    /* A first link leaves the debug sections for later; a reload
     * compares all of the file with the running version's. */
    f->bytes = xmalloc(f->size + 1);
    f->bytes[f->size] = 0;
    int rc = ld->opts->hooks ? file_pread(fd, f->bytes, f->size, 0) : later_read(fd, path, f);
    close(fd);
    if (rc < 0) {
        xfree(f->bytes);
        f->bytes = NULL;
        return fail("%s: read failed: %s", path, errno ? strerror(errno) : "file shrank while reading");
    }
    return 0;
}

static bool has_prefix(const void *buf, size_t size, const char *magic, size_t n)
{
    return size >= n && !memcmp(buf, magic, n);
}

/* PIE executables are ET_DYN too: they carry DF_1_PIE. (libc.so.6 has an
 * interpreter and can be run, but it is a library.) */
static bool is_executable(Elf *elf)
{
    for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
        GElf_Shdr sh;
        Elf_Data *d;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC || !(d = elf_getdata(scn, NULL)))
            continue;
        GElf_Dyn dyn;
        for (int i = 0; gelf_getdyn(d, i, &dyn); i++)
            if (dyn.d_tag == DT_FLAGS_1 && (dyn.d_un.d_val & DF_1_PIE))
                return true;
    }
    return false;
}

static bool already_added(struct link *ld, const char *path)
{
    for (size_t i = 0; i < ld->ndsos; i++)
        if (!strcmp(ld->dsos[i]->path, path))
            return true;
    for (size_t i = 0; i < ld->narchives; i++)
        if (!strcmp(ld->archives[i]->name, path))
            return true;
    return false;
}

static int add_shared(struct link *ld, const char *path, bool as_needed)
{
    /* dlopen searches the system for a name without a slash */
    char *local = strchr(path, '/') ? NULL : xasprintf("./%s", path);
    struct dso *d = dso_new(local ? local : path, as_needed);
    xfree(local);
    if (!d)
        return -1;
    ARRAY_PUSH(ld->dsos, ld->ndsos, ld->capdsos, d);
    return 0;
}

static int add_elf(struct link *ld, const char *path, struct file_data f, bool as_needed)
{
    Elf *elf = elf_memory(f.bytes, f.size);
    if (!elf)
        return file_release(&f), fail("%s: cannot read: %s", path, elf_errmsg(-1));
    if (elf_kind(elf) == ELF_K_AR) {
        struct archive *ar = archive_open(path, f, elf, f.mapped && in_system_dir(path));
        if (!ar)
            return elf_end(elf), file_release(&f), -1;
        strmap_slot(&ld->archives_by_name, ar->name)->value = ar;
        ARRAY_PUSH(ld->archives, ld->narchives, ld->caparchives, ar);
        return ld->opts->hooks ? ld->opts->hooks->archive(ld, ar) : 0;
    }
    GElf_Ehdr eh;
    if (elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &eh) && eh.e_type == ET_DYN &&
        eh.e_machine == EM_X86_64 && eh.e_ident[EI_CLASS] == ELFCLASS64) {
        bool exe = is_executable(elf);
        elf_end(elf);
        file_release(&f);
        if (exe)
            return fail("%s: is an executable, not an object file; pass the .o files it was built from", path);
        return add_shared(ld, path, as_needed);
    }
    uint64_t hash = ld->opts->hooks ? hash_bytes(f.bytes, f.size) : 0;
    if (ld->opts->hooks && ld->opts->hooks->unchanged(ld, path, hash, &f.stamp))
        return elf_end(elf), file_release(&f), 0;
    struct object *obj = object_read(path, elf);
    if (!obj)
        return elf_end(elf), file_release(&f), -1;
    obj->file = f;
    obj->hash = hash;
    obj->hashed = ld->opts->hooks != NULL;
    return link_add_object(ld, obj);
}

static int add_script(struct link *ld, const char *path, char *text);

/* A copy of an earlier version's bytes, as if read from the file; its
 * stamp is no file's, so it is never taken for the file as it is. */
static struct file_data copy_of(const struct object *obj)
{
    object_read_later(obj);
    struct file_data f = {.bytes = xmalloc(obj->file.size + 1), .size = obj->file.size};
    memcpy(f.bytes, obj->file.bytes, obj->file.size);
    f.bytes[f.size] = 0;
    return f;
}

int link_add_path(struct link *ld, const char *path, bool installed, bool as_needed)
{
    const struct object *earlier = ld->opts->override ? strmap_get(ld->opts->override, path) : NULL;
    if (earlier)
        return link_add_file(ld, path, copy_of(earlier), as_needed);
    /* libraries named again (libgcc.a by -lgcc and by libgcc_s.so's script)
     * are linked once; a user's file named twice is linked twice, as by ld */
    if (installed && already_added(ld, path))
        return 0;
    if (ld->opts->hooks && ld->opts->hooks->same_stamp(ld, path))
        return 0; /* an object the program has, untouched since */
    struct file_data f = {0};
    if (link_read_file(ld, path, installed, &f) < 0)
        return -1;
    return link_add_file(ld, path, f, as_needed);
}

/* Classify f by its magic and add it; takes ownership of f. */
int link_add_file(struct link *ld, const char *path, struct file_data f, bool as_needed)
{
    if (has_prefix(f.bytes, f.size, "!<thin>\n", 8) && thin_archive_whole(path, &f) < 0)
        return file_release(&f), -1;
    const char *buf = f.bytes;
    size_t size = f.size;
    if (has_prefix(buf, size, "\x7f" "ELF", 4) || has_prefix(buf, size, "!<arch>\n", 8))
        return add_elf(ld, path, f, as_needed);
    int rc;
    char *text = strndup(buf, size); /* mapped files have no terminator */
    if (has_prefix(buf, size, "BC\xc0\xde", 4) || has_prefix(buf, size, "\xde\xc0\x17\x0b", 4))
        rc = fail("%s: LLVM bitcode (clang -flto), not machine code; rebuild without -flto", path);
    else if (size == 0)
        rc = fail("%s: empty file, not an ELF object or archive", path);
    else if (strstr(text, "GROUP") || strstr(text, "INPUT"))
        rc = add_script(ld, path, text);
    else
        rc = fail("%s: not an ELF object or archive", path);
    xfree(text);
    file_release(&f);
    return rc;
}

/* gcc's library directories, canonical ("12/../../../" forms resolved):
 * computed once per process, since every reload links again. */
static const char *const *system_dirs(size_t *n)
{
    static char **dirs;
    static size_t ndirs, cap;
    if (!dirs) {
        char *sys = xstrdup(HOTLD_LIBDIRS), *save = NULL;
        for (char *dir = strtok_r(sys, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
            char *real = path_real(dir);
            if (real)
                ARRAY_PUSH(dirs, ndirs, cap, real);
        }
        xfree(sys);
        if (!dirs)
            dirs = xcalloc(1, sizeof *dirs);
    }
    *n = ndirs;
    return (const char *const *)dirs;
}

/* The system's directories are kept as real paths, and so is path
 * looked at: libc's scripts name /lib/x86_64-linux-gnu/libm.so.6, which
 * is /usr/lib/... on a merged /usr. */
static bool in_system_dir(const char *path)
{
    size_t n;
    const char *const *dirs = system_dirs(&n);
    char *real = path_real(path);
    bool found = false;
    for (size_t i = 0; real && i < n && !found; i++) {
        size_t len = strlen(dirs[i]);
        found = !strncmp(real, dirs[i], len) && real[len] == '/';
    }
    xfree(real);
    return found;
}

/* The -L directories, then the compiler's own library path. */
static void init_search_dirs(struct link *ld)
{
    if (ld->searchdirs)
        return;
    size_t nsys;
    const char *const *sys = system_dirs(&nsys);
    for (size_t i = 0; i < ld->opts->nlibdirs; i++)
        ARRAY_PUSH(ld->searchdirs, ld->nsearchdirs, ld->capsearchdirs, xstrdup(ld->opts->libdirs[i]));
    for (size_t i = 0; i < nsys; i++)
        ARRAY_PUSH(ld->searchdirs, ld->nsearchdirs, ld->capsearchdirs, xstrdup(sys[i]));
}

static char *readable(char *path)
{
    if (access(path, R_OK) == 0)
        return path;
    xfree(path);
    return NULL;
}

/* libNAME.so before libNAME.a in each directory, or the exact file for
 * NAME = ":FILE". Returns a malloc'd path or NULL. */
static char *find_library(struct link *ld, const char *name)
{
    init_search_dirs(ld);
    for (size_t i = 0; i < ld->nsearchdirs; i++) {
        const char *dir = ld->searchdirs[i];
        char *p = name[0] == ':' ? readable(xasprintf("%s/%s", dir, name + 1))
                                 : readable(xasprintf("%s/lib%s.so", dir, name));
        if (!p && name[0] != ':')
            p = readable(xasprintf("%s/lib%s.a", dir, name));
        if (p)
            return p;
    }
    return NULL;
}

bool link_has_lib(struct link *ld, const char *name)
{
    char *path = find_library(ld, name);
    xfree(path);
    return path != NULL;
}

int link_add_lib(struct link *ld, const char *name)
{
    char *path = find_library(ld, name);
    if (!path)
        return fail("-l%s: library not found (searched -L directories and %s)", name, HOTLD_LIBDIRS);
    int rc = link_add_path(ld, path, true, false);
    xfree(path);
    return rc;
}

/* A tiny reader for the linker scripts that stand in for .so files:
 * GROUP ( a b AS_NEEDED ( c ) ) and INPUT ( ... ). Other commands such as
 * OUTPUT_FORMAT are skipped with their arguments. */
static char *next_token(char **p)
{
    for (;;) {
        while (isspace((unsigned char)**p))
            (*p)++;
        if ((*p)[0] == '/' && (*p)[1] == '*') {
            char *end = strstr(*p + 2, "*/");
            *p = end ? end + 2 : *p + strlen(*p);
            continue;
        }
        break;
    }
    if (!**p)
        return NULL;
    char *start = *p;
    if (*start == '(' || *start == ')') {
        (*p)++;
        return *start == '(' ? "(" : ")";
    }
    while (**p && !isspace((unsigned char)**p) && **p != '(' && **p != ')')
        (*p)++;
    size_t n = *p - start;
    char *tok = xmalloc(n + 1);
    memcpy(tok, start, n);
    tok[n] = 0;
    return tok;
}

static int add_script_file(struct link *ld, const char *script, const char *tok, bool as_needed)
{
    if (!strncmp(tok, "-l", 2))
        return link_add_lib(ld, tok + 2);
    if (tok[0] == '/')
        return link_add_path(ld, tok, true, as_needed);
    /* A bare file name is looked up in the script's own directory first,
     * then on the library path, as ld does. */
    const char *slash = strrchr(script, '/');
    char *local = readable(xasprintf("%.*s/%s", slash ? (int)(slash - script) : 1,
                                     slash ? script : ".", tok));
    int rc;
    if (local)
        rc = link_add_path(ld, local, true, as_needed);
    else {
        char *colon = xasprintf(":%s", tok);
        char *p = find_library(ld, colon);
        xfree(colon);
        rc = p ? link_add_path(ld, p, true, as_needed)
               : fail("%s: file '%s' named in the linker script not found", script, tok);
        xfree(p);
    }
    xfree(local);
    return rc;
}

static int add_script(struct link *ld, const char *path, char *text)
{
    char *p = text, *tok;
    int depth = 0, as_needed_depth = 0, rc = 0;
    bool in_files = false;
    while (rc == 0 && (tok = next_token(&p))) {
        bool owned = tok[0] != '(' && tok[0] != ')';
        if (!strcmp(tok, "(")) {
            depth++;
        } else if (!strcmp(tok, ")")) {
            if (depth == as_needed_depth)
                as_needed_depth = 0;
            if (--depth == 0)
                in_files = false;
        } else if (!strcmp(tok, "GROUP") || !strcmp(tok, "INPUT")) {
            in_files = true;
        } else if (!strcmp(tok, "AS_NEEDED")) {
            as_needed_depth = depth + 1;
        } else if (in_files && depth > 0) {
            rc = add_script_file(ld, path, tok, as_needed_depth != 0);
        }
        if (owned)
            xfree(tok);
    }
    if (depth != 0 && rc == 0)
        rc = fail("%s: unbalanced parentheses in linker script", path);
    return rc;
}

/* The inputs gcc's driver adds after the user's: libgcc, libgcc_s, libc. */
static const char *const implicit_libs[] = {"gcc", "gcc_s", "c"};

/* gcc's driver also adds a sanitizer's runtime when it links with
 * -fsanitize=: hotld sees no such flag, but the objects' references to
 * the runtime say which one they need. */
static const struct {
    const char *prefix, *lib;
} sanitizer_runtimes[] = {{"__asan_", "asan"}, {"__tsan_", "tsan"}, {"__ubsan_", "ubsan"}};

/* Which runtimes the objects refer to: bit i for sanitizer_runtimes[i]. */
static unsigned runtimes_referred_to(const struct link *ld)
{
    unsigned wanted = 0;
    for (size_t i = 0; i < ld->nobjs; i++)
        for (size_t j = 1; j < ld->objs[i]->nsyms; j++) {
            const struct symbol *s = ld->objs[i]->syms[j];
            if (s->kind != SYM_UNDEF || s->name[0] != '_' || s->name[1] != '_')
                continue;
            for (size_t k = 0; k < ARRAY_SIZE(sanitizer_runtimes); k++)
                if (!strncmp(s->name, sanitizer_runtimes[k].prefix, strlen(sanitizer_runtimes[k].prefix)))
                    wanted |= 1u << k;
        }
    return wanted;
}

static int add_sanitizer_runtimes(struct link *ld)
{
    unsigned wanted = runtimes_referred_to(ld);
    for (size_t k = 0; k < ARRAY_SIZE(sanitizer_runtimes); k++)
        if ((wanted & 1u << k) && link_add_lib(ld, sanitizer_runtimes[k].lib) < 0)
            return -1;
    return 0;
}

static int add_command_line(struct link *ld)
{
    const struct link_options *o = ld->opts;
    struct prefetch *p = prefetch_start(ld);
    int rc = 0;
    for (size_t i = 0; i < o->ninputs && rc == 0; i++) {
        const struct link_input *in = &o->inputs[i];
        rc = in->is_lib ? link_add_lib(ld, in->arg) : p ? prefetch_add(p, i) : link_add_path(ld, in->arg, false, false);
    }
    prefetch_end(p);
    return rc;
}

int link_add_inputs(struct link *ld)
{
    const struct link_options *o = ld->opts;
    if (add_command_line(ld) < 0)
        return -1;
    if (!o->live && add_sanitizer_runtimes(ld) < 0) /* a reload links the libraries the program has */
        return -1;
    if (o->live && link_add_runtime_archives_of(ld, o->live) < 0)
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(implicit_libs); i++)
        if (link_add_lib(ld, implicit_libs[i]) < 0)
            return -1;
    return 0;
}
