/* libdwarf on bytes in memory (an object, a debug image): libdwarf reads
 * from a file descriptor, so the bytes go to a memfd first. */
#ifndef HOTLD_DWARFOPEN_H
#define HOTLD_DWARFOPEN_H

#include <stddef.h>

#include "dwarflib.h"

/* size bytes at offset at that libdwarf is to read in place of the
 * object's own; past the object's end, they are added to what it reads
 * (zeros in between). */
struct dwarf_edit {
    size_t at;
    const void *bytes;
    size_t size;
};

/* A handle on the DWARF of size bytes of ELF, as changed by the n edits,
 * and the memfd it reads (*fd); NULL if there is none, libdwarf cannot
 * read it, or the edits cannot be written. */
Dwarf_Debug dwarf_open_bytes(const void *bytes, size_t size, const struct dwarf_edit *edits, size_t n, int *fd);
void dwarf_close_bytes(Dwarf_Debug dbg, int fd);

#endif
