/* libelf's allocator (base/elfalloc.c), through hotld's own copy of
 * libelf.a (build/libelf.a): while the first link's heap is open, libelf's
 * descriptors come from it; once it is closed, from malloc; either way
 * they are hotld's own blocks, until elf_end gives them back. The object
 * read is argv[1]; its section count must be readelf's, argv[2]. Prints
 * "ok NAME" or "not ok NAME: why" per check. */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "linkheap.h"
#include "owned.h"

#define SUITE "elfalloc"
#include "check.h"

/* The whole file, from malloc. */
static char *slurp(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY);
    off_t end = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
    char *buf = end > 0 ? malloc((size_t)end) : NULL;
    if (!buf || pread(fd, buf, (size_t)end, 0) != end)
        exit(2);
    close(fd);
    *size = (size_t)end;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    size_t size, nsecs = 0, want = strtoul(argv[2], NULL, 10);
    char *bytes = slurp(argv[1], &size);
    elf_version(EV_CURRENT);

    linkheap_open();
    Elf *elf = elf_memory(bytes, size);
    check("reads", elf && elf_getshdrnum(elf, &nsecs) == 0 && nsecs == want, "section count differs from readelf's");
    check("in-the-link-heap", linkheap_holds(elf), "libelf's descriptor is not in the open link heap");
    elf_end(elf); /* frees nothing of the heap's */
    linkheap_close();

    elf = elf_memory(bytes, size);
    check("reads-after", elf && elf_getshdrnum(elf, &nsecs) == 0 && nsecs == want, "section count differs from readelf's");
    check("from-malloc-after", elf && !linkheap_holds(elf), "the closed link heap still served libelf");
    check("owned", elf && owned(elf, 1), "libelf's block is not among hotld's own");
    elf_end(elf);
    check("given-back", !owned(elf, 1), "elf_end left libelf's block among hotld's own");
    free(bytes);
    return failed;
}
