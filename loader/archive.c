/* ar archives: libelf reads the archive symbol index (the "/" member),
 * which resolution walks in its order as GNU ld does, and extracts
 * members. Members are read only when pulled. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "linker.h"
#include "util.h"

static size_t raw_member_size(const char *header)
{
    char digits[11] = {0};
    memcpy(digits, header + 48, 10);
    return strtoul(digits, NULL, 10);
}

/* libelf's elf_getarsym walks the index's name strings without bounds
 * (rawmemchr), so check first that the index member holds as many
 * terminated names as it has entries. Layout: "!<arch>\n", a 60-byte
 * member header named "/" or "/SYM64/", a big-endian count n, n offsets,
 * then n NUL-terminated names. */
static bool index_is_sane(const struct file_data *f)
{
    const char *p = f->bytes;
    if (f->size < 8 + 60 || p[8] != '/')
        return true; /* no index: elf_getarsym fails cleanly */
    int w = !memcmp(p + 8, "/SYM64/", 7) ? 8 : 4;
    size_t size = raw_member_size(p + 8), n = 0;
    const unsigned char *d = (const unsigned char *)p + 68;
    if (size > f->size - 68 || size < (size_t)w)
        return false;
    for (int i = 0; i < w; i++)
        n = n << 8 | d[i];
    if (n > (size - w) / w)
        return false;
    size_t names = 0;
    for (size_t i = w + n * w; i < size; i++)
        names += d[i] == 0;
    return names >= n;
}

/* Members that share a name (ar q, or a build that archives foo.o of two
 * directories) are told apart by their rank among those of that name:
 * the second is "lib.a(foo.o#2)". twins: member offset (hex) -> rank, for
 * the second and later ones. */
static void note_twin(struct strmap *seen, struct strmap *twins, const char *member, int64_t off)
{
    struct strmap_slot *n = strmap_slot(seen, member);
    if (!n->value)
        n->key = xstrdup(member); /* the header's name goes with its member */
    uintptr_t rank = (uintptr_t)n->value + 1;
    n->value = (void *)rank;
    if (rank > 1) {
        char key[24];
        snprintf(key, sizeof key, "%lx", (unsigned long)off);
        strmap_slot(twins, xstrdup(key))->value = (void *)rank;
    }
}

/* Walk every member header, so that a corrupt archive is reported even
 * when the damaged member is never pulled, and members of one name are
 * noted. Returns the member count. */
static int walk_members(const char *name, const struct file_data *f, Elf *ar, struct strmap *seen,
                        struct strmap *twins);

static int check_members(const char *name, const struct file_data *f, Elf *ar, struct strmap *twins)
{
    struct strmap seen = {0};
    int count = walk_members(name, f, ar, &seen, twins);
    strmap_free_owning_keys(&seen);
    return count;
}

static int walk_members(const char *name, const struct file_data *f, Elf *ar, struct strmap *seen,
                        struct strmap *twins)
{
    int count = 0;
    size_t end = 8; /* where the last member seen ends */
    if (f->size == 8)
        return 0; /* "!<arch>\n" alone: an empty archive, like glibc's libdl.a */
    elf_errno(); /* clear a stale error, e.g. from a missing index */
    for (Elf_Cmd cmd = ELF_C_READ_MMAP; cmd != ELF_C_NULL;) {
        Elf *m = elf_begin(-1, cmd, ar);
        Elf_Arhdr *h = m ? elf_getarhdr(m) : NULL;
        if (!h) {
            elf_end(m);
            return fail("%s: bad header of member %d: %s", name, count + 1, elf_errmsg(-1));
        }
        /* libelf clamps ar_size to the file and skips the "`\n" check */
        int64_t off = elf_getaroff(m);
        if (off < 0 || (size_t)off + 60 + raw_member_size(f->bytes + off) > f->size ||
            memcmp(f->bytes + off + 58, "`\n", 2)) {
            elf_end(m);
            return fail("%s: member %d ('%s'): header is corrupt or its size runs past the end",
                        name, count + 1, h->ar_name);
        }
        count += h->ar_name[0] != '/';
        if (h->ar_name[0] != '/')
            note_twin(seen, twins, h->ar_name, off);
        end = off + 60 + raw_member_size(f->bytes + off);
        end += end & 1;
        cmd = elf_next(m);
        elf_end(m);
    }
    /* elf_next says "no more members" at a corrupt header too */
    if (end < f->size)
        return fail("%s: bad header of member %d at offset %zu", name, count + 1, end);
    elf_rand(ar, 0);
    return count;
}

/* The symbol indexes of files kept mapped for later links (the library
 * path's archives: libgcc.a, libc_nonshared.a), read once: every reload
 * links them again, and libelf parses and hashes a whole index each time
 * (libgcc.a's: 0.2 million instructions a reload). A kept file's mapping
 * stays the same while the file does (mapped.c), so it is the key. The
 * copies, names included, live as long as the mappings. */
struct kept_index {
    const char *bytes;
    Elf_Arsym *syms;
    size_t n;
};
static struct kept_index *kept_indexes;
static size_t nkept, capkept;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

/* syms[0..n) and their names in one block (the last entry has none). */
static Elf_Arsym *copy_index(const Elf_Arsym *syms, size_t n)
{
    size_t names = 0;
    for (size_t i = 0; i < n; i++)
        names += syms[i].as_name ? strlen(syms[i].as_name) + 1 : 0;
    Elf_Arsym *copy = xmalloc(n * sizeof *copy + names);
    char *at = (char *)(copy + n);
    for (size_t i = 0; i < n; i++) {
        copy[i] = syms[i];
        if (syms[i].as_name) {
            size_t len = strlen(syms[i].as_name) + 1;
            copy[i].as_name = memcpy(at, syms[i].as_name, len);
            at += len;
        }
    }
    return copy;
}

/* The index of a kept file read before, or NULL. */
static Elf_Arsym *kept_index(const struct file_data *f, size_t *n)
{
    Elf_Arsym *syms = NULL;
    if (!f->kept)
        return NULL;
    pthread_mutex_lock(&kept_lock);
    for (size_t i = 0; i < nkept && !syms; i++)
        if (kept_indexes[i].bytes == f->bytes)
            syms = kept_indexes[i].syms, *n = kept_indexes[i].n;
    pthread_mutex_unlock(&kept_lock);
    return syms;
}

/* libelf's index of f in *syms (NULL: it has none), checked first (see
 * index_is_sane), and kept if f is; -1 if it is corrupt. */
static int read_index(const char *name, const struct file_data *f, Elf *elf, Elf_Arsym **syms, size_t *n)
{
    if (!index_is_sane(f))
        return fail("%s: archive symbol index is corrupt", name);
    *syms = elf_getarsym(elf, n);
    if (!*syms || !f->kept)
        return 0;
    struct kept_index k = {f->bytes, copy_index(*syms, *n), *n};
    pthread_mutex_lock(&kept_lock);
    ARRAY_PUSH(kept_indexes, nkept, capkept, k);
    pthread_mutex_unlock(&kept_lock);
    *syms = k.syms;
    return 0;
}

struct archive *archive_open(const char *name, struct file_data file, Elf *elf, bool installed)
{
    if (file.size >= 8 && !memcmp(file.bytes, "!<thin>\n", 8))
        return fail("%s: thin archives are not supported; rebuild it with 'ar rcs' (no T)", name), NULL;
    size_t n = 0;
    Elf_Arsym *syms = kept_index(&file, &n);
    if (!syms && read_index(name, &file, elf, &syms, &n) < 0)
        return NULL;
    /* the system's archives are trusted: walking the members of libgcc.a
     * would cost every link 0.1 ms */
    struct strmap twins = {0};
    int members = installed ? (file.size > 8) : check_members(name, &file, elf, &twins);
    if (members < 0) {
        strmap_free_owning_keys(&twins);
        return NULL;
    }
    if (!syms && members > 0) {
        strmap_free_owning_keys(&twins);
        return fail("%s: archive has no valid symbol index (%s); run 'ranlib %s'",
                    name, elf_errmsg(-1), name), NULL;
    }
    struct archive *ar = xcalloc(1, sizeof *ar);
    ar->twins = twins;
    ar->name = xstrdup(name);
    ar->file = file;
    ar->elf = elf;
    ar->arsyms = syms;
    while (syms && ar->narsyms < n && syms[ar->narsyms].as_name)
        ar->narsyms++; /* libelf ends the index with an entry of no name */
    return ar;
}

int archive_each_indexed_member(struct archive *ar, int (*fn)(struct archive *ar, size_t offset, void *ctx),
                                void *ctx)
{
    for (size_t i = 0; i < ar->narsyms; i++) {
        if (i && ar->arsyms[i].as_off == ar->arsyms[i - 1].as_off)
            continue;
        int rc = fn(ar, ar->arsyms[i].as_off, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

/* Close an archive no member was pulled from: only its name and hash stay
 * (a later reload compares the hash). */
void archive_release_if_unused(struct archive *ar)
{
    if (ar->pulled.len || !ar->elf)
        return;
    if (!ar->file.mapped)
        archive_hash(ar);
    ar->arsyms = NULL;
    ar->narsyms = 0;
    elf_end(ar->elf);
    ar->elf = NULL;
    file_release(&ar->file);
}

uint64_t archive_hash(struct archive *ar)
{
    if (!ar->hashed) {
        ar->hash = hash_bytes(ar->file.bytes, ar->file.size);
        ar->hashed = true;
    }
    return ar->hash;
}

/* Does the member at offset define name, other than as a common symbol?
 * What GNU ld asks before it pulls a member for a common symbol: a
 * member with only another common of it is not pulled. Reads the
 * member's symbol table only; a member it cannot read defines nothing. */
bool archive_member_defines(struct archive *ar, size_t offset, const char *name)
{
    if (elf_rand(ar->elf, offset) != offset)
        return false;
    Elf *m = elf_begin(-1, ELF_C_READ_MMAP, ar->elf);
    bool found = false;
    for (Elf_Scn *scn = m ? elf_nextscn(m, NULL) : NULL; scn && !found; scn = elf_nextscn(m, scn)) {
        GElf_Shdr sh;
        Elf_Data *d;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
            continue;
        for (size_t i = 1; i < sh.sh_size / sh.sh_entsize && !found; i++) {
            GElf_Sym sym;
            const char *n;
            found = gelf_getsym(d, (int)i, &sym) && GELF_ST_BIND(sym.st_info) != STB_LOCAL &&
                    sym.st_shndx != SHN_UNDEF && sym.st_shndx != SHN_COMMON &&
                    sym.st_shndx != SHN_X86_64_LCOMMON && (n = elf_strptr(m, sh.sh_link, sym.st_name)) &&
                    !strcmp(n, name);
        }
    }
    if (m)
        elf_end(m);
    return found;
}

static struct object *pulled_at(const struct archive *ar, size_t offset)
{
    char key[24];
    snprintf(key, sizeof key, "%zx", offset);
    return strmap_get(&ar->pulled, key);
}

bool archive_has_pulled(const struct archive *ar, size_t offset)
{
    return pulled_at(ar, offset) != NULL;
}

char *archive_member_name(const struct archive *ar, size_t offset, const char *header_name)
{
    char key[24];
    snprintf(key, sizeof key, "%lx", (unsigned long)offset);
    uintptr_t rank = (uintptr_t)strmap_get(&ar->twins, key);
    return rank ? xasprintf("%s(%s#%lu)", ar->name, header_name, (unsigned long)rank)
                : xasprintf("%s(%s)", ar->name, header_name);
}

/* The member at offset, read once; *fresh says whether this call read it. */
struct object *archive_extract(struct archive *ar, size_t offset, bool *fresh)
{
    char key[24];
    snprintf(key, sizeof key, "%zx", offset);
    struct object *obj = pulled_at(ar, offset);
    *fresh = false;
    if (obj)
        return obj;
    if (elf_rand(ar->elf, offset) != offset)
        return fail("%s: symbol index points to offset %zu, which is not a member", ar->name, offset), NULL;
    Elf *m = elf_begin(-1, ELF_C_READ_MMAP, ar->elf) /* as elf_memory made it */;
    Elf_Arhdr *h = m ? elf_getarhdr(m) : NULL;
    if (!h)
        return fail("%s: bad member header at offset %zu: %s", ar->name, offset, elf_errmsg(-1)), NULL;
    char *name = archive_member_name(ar, offset, h->ar_name);
    obj = object_read(name, m);
    xfree(name);
    if (!obj) {
        elf_end(m);
        return NULL;
    }
    strmap_slot(&ar->pulled, xstrdup(key))->value = obj;
    *fresh = true;
    return obj;
}
