/* loader/later.c: an object read but for its debug sections, which are
 * read later, against the file's own bytes (the oracle). Prints "ok NAME"
 * or "not ok NAME: why" per check.
 *   later_check OBJ.o OTHER.o: OBJ.o is compiled with -g; OTHER.o is
 *   another object, written over OBJ.o's place in two of the checks. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "background.h"
#include "linker.h"
#include "util.h"

static int failed;

static void check(const char *name, int good, const char *why)
{
    printf(good ? "ok later/%s\n" : "not ok later/%s: %s\n", name, why);
    failed |= !good;
}

static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        exit(2);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    rewind(f);
    char *b = malloc(*size);
    if (fread(b, 1, *size, f) != *size)
        exit(2);
    fclose(f);
    return b;
}

static void copy(const char *from, const char *to, int flags)
{
    size_t n;
    char *b = slurp(from, &n);
    int fd = open(to, O_WRONLY | O_CREAT | flags, 0644);
    if (fd < 0 || write(fd, b, n) != (ssize_t)n)
        exit(2);
    close(fd);
    free(b);
}

/* OBJ.o as the first link reads it: everything but its debug sections. */
static struct file_data first_read(const char *path)
{
    struct stat st;
    struct file_data f = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0)
        exit(2);
    file_stamp_of(&st, &f.stamp);
    f.size = (size_t)st.st_size;
    f.bytes = xmalloc(f.size + 1);
    if (later_read(fd, path, &f) != 0 || !f.later)
        exit(3);
    close(fd);
    return f;
}

/* Count the bytes that differ from the file's, and the zero ones among them. */
static size_t differing(const struct file_data *f, const char *want, size_t *zero)
{
    size_t n = 0;
    *zero = 0;
    for (size_t i = 0; i < f->size; i++)
        if (f->bytes[i] != want[i])
            n++, *zero += f->bytes[i] == 0;
    return n;
}

/* A copy of OBJ.o whose .debug_info is said to lie over its symbol
 * table: later_read must leave nothing out (read it whole). */
static int overlap_is_read_whole(const char *path)
{
    size_t n;
    char *b = slurp(path, &n);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
    Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
    const char *names = b + sh[eh->e_shstrndx].sh_offset;
    Elf64_Shdr *info = NULL, *symtab = NULL;
    for (int i = 1; i < eh->e_shnum; i++) {
        if (!strcmp(names + sh[i].sh_name, ".debug_info"))
            info = &sh[i];
        if (sh[i].sh_type == SHT_SYMTAB)
            symtab = &sh[i];
    }
    if (!info || !symtab)
        exit(2);
    info->sh_offset = symtab->sh_offset;
    info->sh_size = symtab->sh_size;
    int fd = open("overlap.o", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, b, n) != (ssize_t)n)
        exit(2);
    struct file_data f = {.size = n, .bytes = xmalloc(n + 1)};
    int rc = later_read(fd, "overlap.o", &f);
    bool whole = rc == 0 && !f.later && !memcmp(f.bytes, b, n);
    close(fd);
    free(b);
    file_release(&f);
    return whole;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    size_t size, zero;
    char *want = slurp(argv[1], &size);
    copy(argv[1], "work.o", O_TRUNC);

    struct file_data f = first_read("work.o");
    size_t before = differing(&f, want, &zero);
    check("first-read-leaves-debug", f.size == size && before > 0 && zero == before,
          "the first read should hold all but the debug sections (zeroed)");
    check("fill", later_fill(f.later, f.bytes, &f.stamp) == 1 && differing(&f, want, &zero) == 0,
          "after the fill the bytes should be the file's");
    file_release(&f);

    /* A compiler rewrites the object in place: same inode, new contents. */
    f = first_read("work.o");
    copy(argv[2], "work.o", O_TRUNC);
    check("rewritten-in-place", later_fill(f.later, f.bytes, &f.stamp) == 0 && later_lost(f.later) &&
          differing(&f, want, &zero) == zero,
          "a file changed since the first read should give no debug bytes, only zeros");
    file_release(&f);

    /* A build that writes a new file and renames it over the old one. */
    copy(argv[1], "work.o", O_TRUNC);
    f = first_read("work.o");
    copy(argv[2], "new.o", O_TRUNC);
    if (rename("new.o", "work.o") < 0)
        return 2;
    check("renamed-over", later_fill(f.later, f.bytes, &f.stamp) == 0 && differing(&f, want, &zero) == zero,
          "another file at the path should give no debug bytes, only zeros");
    file_release(&f);

    /* A descriptor the program closed is no concern: none is kept. */
    copy(argv[1], "work.o", O_TRUNC);
    f = first_read("work.o");
    for (int fd = 3; fd < 64; fd++)
        close(fd);
    int mine = open(argv[2], O_RDONLY);
    check("descriptors-closed", later_fill(f.later, f.bytes, &f.stamp) == 1 && differing(&f, want, &zero) == 0 &&
          fcntl(mine, F_GETFD) >= 0,
          "the fill should read the file again by its path and leave the program's descriptors alone");
    file_release(&f);
    /* Exit cuts background work short: what it was filling stays to be
     * filled, by anyone who still asks. */
    f = first_read("work.o");
    background_begin();
    background_cancel();
    int cut = later_fill(f.later, f.bytes, &f.stamp);
    background_end();
    check("cut-short-stays-pending", cut == -1 && later_pending(f.later) && !later_lost(f.later) &&
          later_fill(f.later, f.bytes, &f.stamp) == 1 && differing(&f, want, &zero) == 0,
          "a fill cut short at exit should leave the debug sections to be read, not lost");
    file_release(&f);
    check("overlapping-read-whole", overlap_is_read_whole(argv[1]),
          "a debug section laid over the symbol table should make the file be read whole");
    return failed;
}
