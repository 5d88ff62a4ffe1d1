/* An object file's debug sections, read after the program has started.
 *
 * A first link needs an object's headers, symbols, loaded sections and
 * their relocations; its DWARF (most of a -g object: 97% of a C++ one
 * built with -O2 -g) only the debugger's image, a reload's type
 * comparison and inspection need. So the first link reads everything but
 * the debug sections; the session's control thread reads the rest while
 * main runs, as it makes the debugger's image, and anything that wants
 * the bytes first reads them itself (object_read_later).
 *
 * The bytes must be the file's as it was at the first read: a compiler
 * may rewrite the object meanwhile. The file is opened again by its
 * (absolute) path, not kept open: the program may close descriptors it
 * does not know of (a daemon closes them all) and reuse their numbers.
 * A file renamed over is another inode; one rewritten in place has a new
 * mtime. If stat says either, before or after the read, the debug
 * sections are left out (zeroed), never mixed, and object_read_later
 * reports it. */
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "background.h"
#include "forksafe.h"
#include "linker.h"
#include "util.h"

struct span {
    uint64_t lo, hi;
};

struct later {
    char *path;
    struct span *spans;         /* sorted, disjoint */
    size_t nspans;
    atomic_bool done;
    bool lost;
};

static bool is_debug_name(const char *name)
{
    return starts_with(name, ".debug_") || starts_with(name, ".zdebug_");
}

/* DWARF sections are PROGBITS, their relocations RELA applying to them:
 * a section of another kind (a symbol table), or relocations of a loaded
 * section, are read with the link whatever their name, as ld goes by
 * types and targets. */
bool later_deferred(const char *name, uint64_t flags, uint32_t type, uint64_t applied_flags)
{
    return !(flags & SHF_ALLOC) &&
           (type == SHT_PROGBITS || (type == SHT_RELA && !(applied_flags & SHF_ALLOC))) &&
           (is_debug_name(name) || (starts_with(name, ".rela.") && is_debug_name(name + 5)));
}

static bool within(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && size - off >= len;
}

/* The section headers (and where their table is) and their names, read
 * into their places in bytes, or NULL (then the file is read whole, and
 * libelf judges it). Whatever overlaps in a crafted file, each byte read
 * is the file's own at its own offset. */
static const Elf64_Shdr *headers(int fd, char *bytes, uint64_t size, size_t *n, struct span *table,
                                 const char **names, uint64_t *nameslen)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)bytes;
    if (size < sizeof *eh || file_pread(fd, bytes, sizeof *eh, 0) < 0 || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_type != ET_REL ||
        eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 || eh->e_shstrndx >= eh->e_shnum ||
        eh->e_shoff % _Alignof(Elf64_Shdr) || !within(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), size))
        return NULL;
    *n = eh->e_shnum;
    *table = (struct span){eh->e_shoff, eh->e_shoff + *n * sizeof(Elf64_Shdr)};
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(bytes + table->lo);
    if (file_pread(fd, bytes + table->lo, table->hi - table->lo, table->lo) < 0)
        return NULL;
    const Elf64_Shdr *strs = &sh[eh->e_shstrndx];
    uint64_t at = strs->sh_offset, len = strs->sh_size;
    /* names must end inside their section: later_deferred reads them */
    if (strs->sh_type != SHT_STRTAB || !len || !within(at, len, size) || file_pread(fd, bytes + at, len, at) < 0 ||
        bytes[at + len - 1])
        return NULL;
    *names = bytes + at;
    *nameslen = len;
    return sh;
}

static int by_lo(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Does [lo, hi) meet one of the sorted, disjoint spans? */
static bool meets(const struct span *spans, size_t n, uint64_t lo, uint64_t hi)
{
    size_t a = 0, b = n;
    while (a < b) { /* the first span that ends after lo */
        size_t mid = a + (b - a) / 2;
        if (spans[mid].hi <= lo)
            a = mid + 1;
        else
            b = mid;
    }
    return a < n && spans[a].lo < hi && lo < hi;
}

/* Is section i of the headers one the first link leaves unread? */
static bool deferred_at(const Elf64_Shdr *sh, size_t n, size_t i, const char *names, uint64_t nameslen)
{
    uint64_t applied = sh[i].sh_type == SHT_RELA && sh[i].sh_info < n ? sh[sh[i].sh_info].sh_flags : 0;
    return sh[i].sh_name < nameslen && later_deferred(names + sh[i].sh_name, sh[i].sh_flags, sh[i].sh_type, applied);
}

/* The headers and every section the link reads lie outside the spans.
 * In a file made to overlap them, the link would read zeros where it
 * expects them: such a file is read whole, and checked as ever. */
static bool apart(const Elf64_Shdr *sh, size_t n, const char *names, uint64_t nameslen, struct span table,
                  const struct span *spans, size_t nspans)
{
    if (meets(spans, nspans, 0, sizeof(Elf64_Ehdr)) || meets(spans, nspans, table.lo, table.hi))
        return false;
    for (size_t i = 1; i < n; i++) {
        if (!deferred_at(sh, n, i, names, nameslen) && sh[i].sh_type != SHT_NOBITS &&
            meets(spans, nspans, sh[i].sh_offset, sh[i].sh_offset + sh[i].sh_size))
            return false;
    }
    return true;
}

/* The file ranges of the debug sections, sorted and merged. */
static struct span *deferred_spans(int fd, char *bytes, uint64_t size, size_t *nspans)
{
    size_t n, cap = 0;
    const char *names;
    uint64_t nameslen;
    struct span table;
    const Elf64_Shdr *sh = headers(fd, bytes, size, &n, &table, &names, &nameslen);
    struct span *spans = NULL;
    *nspans = 0;
    if (!sh)
        return NULL;
    for (size_t i = 1; i < n; i++)
        if (sh[i].sh_size && deferred_at(sh, n, i, names, nameslen) && within(sh[i].sh_offset, sh[i].sh_size, size))
            ARRAY_PUSH(spans, *nspans, cap, ((struct span){sh[i].sh_offset, sh[i].sh_offset + sh[i].sh_size}));
    if (*nspans)
        qsort(spans, *nspans, sizeof *spans, by_lo);
    size_t merged = 0;
    for (size_t i = 0; i < *nspans; i++)
        if (merged && spans[i].lo <= spans[merged - 1].hi)
            spans[merged - 1].hi = spans[i].hi > spans[merged - 1].hi ? spans[i].hi : spans[merged - 1].hi;
        else
            spans[merged++] = spans[i];
    *nspans = merged;
    if (!apart(sh, n, names, nameslen, table, spans, merged))
        *nspans = 0;
    return spans;
}

/* Everything between the spans: the bytes the link needs. */
static int read_between(int fd, char *bytes, uint64_t size, const struct span *spans, size_t n)
{
    uint64_t at = 0;
    for (size_t i = 0; i <= n; i++) {
        uint64_t end = i < n ? spans[i].lo : size;
        if (end > at && file_pread(fd, bytes + at, end - at, at) < 0)
            return -1;
        at = i < n ? spans[i].hi : at;
    }
    return 0;
}

/* Below this, reading the headers first costs more than the debug
 * sections would: a few system calls against a few pages. */
#define LATER_MIN_SIZE (64 * 1024)

int later_read(int fd, const char *path, struct file_data *f)
{
    size_t n = 0;
    struct span *spans = f->size < LATER_MIN_SIZE ? NULL : deferred_spans(fd, f->bytes, f->size, &n);
    int rc = read_between(fd, f->bytes, f->size, spans, n);
    if (rc < 0 || !n) {
        xfree(spans);
        return rc;
    }
    f->later = xcalloc(1, sizeof *f->later);
    *f->later = (struct later){.path = xstrdup(path), .spans = spans, .nspans = n};
    return 0;
}

/* The stamp but ctime, which a new hard link to the file changes. */
static bool unchanged(int fd, const struct file_stamp *stamp)
{
    struct stat st;
    struct file_stamp now;
    if (fstat(fd, &st) < 0)
        return false;
    file_stamp_of(&st, &now);
    now.ctime = stamp->ctime;
    return file_stamp_equal(&now, stamp);
}

bool later_pending(const struct later *l)
{
    return l && !atomic_load(&l->done);
}

/* The spans are read in pieces, so that background work cut short at
 * exit stops within one: a 29 MB object's DWARF is two spans of 14 MB. */
#define PIECE (256 * 1024)

/* 1: read; 0: a read failed; -1: cut short. */
static int read_spans(int fd, char *bytes, const struct later *l)
{
    for (size_t i = 0; i < l->nspans; i++)
        for (uint64_t at = l->spans[i].lo; at < l->spans[i].hi; at += PIECE) {
            uint64_t len = l->spans[i].hi - at < PIECE ? l->spans[i].hi - at : PIECE;
            if (background_cancelled())
                return -1;
            if (file_pread(fd, bytes + at, len, at) < 0)
                return 0;
        }
    return 1;
}

int later_fill(struct later *l, char *bytes, const struct file_stamp *stamp)
{
    int fd = open(l->path, O_RDONLY | O_CLOEXEC);
    int got = fd >= 0 && unchanged(fd, stamp) ? read_spans(fd, bytes, l) : 0;
    if (got > 0 && !unchanged(fd, stamp))
        got = 0;
    if (fd >= 0)
        close(fd);
    if (got < 0)
        return got;
    for (size_t i = 0; !got && i < l->nspans; i++)
        memset(bytes + l->spans[i].lo, 0, l->spans[i].hi - l->spans[i].lo);
    l->lost = !got;
    atomic_store(&l->done, true);
    return got;
}

bool later_lost(const struct later *l)
{
    return l && atomic_load(&l->done) && l->lost;
}

static pthread_mutex_t fill_lock = PTHREAD_MUTEX_INITIALIZER;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_mutex(&fill_lock);
}

bool object_read_later(const struct object *obj)
{
    struct later *l = obj->file.later;
    if (!later_pending(l))
        return !later_lost(l);
    pthread_mutex_lock(&fill_lock);
    if (later_pending(l)) {
        if (later_fill(l, obj->file.bytes, &obj->file.stamp) == 0)
            warn("%s changed on disk before hotld read its debug sections: the debugger and reloads "
                 "see no DWARF for it", obj->name);
    }
    pthread_mutex_unlock(&fill_lock);
    return !later_pending(l) && !later_lost(l);
}

void later_free(struct later *l)
{
    if (!l)
        return;
    xfree(l->path);
    xfree(l->spans);
    xfree(l);
}
