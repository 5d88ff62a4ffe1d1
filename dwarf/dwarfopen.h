/* libdwarf on bytes in memory (an object, a debug image): libdwarf reads
 * from a file descriptor, so the bytes go to a memfd first. */
#ifndef HOTLD_DWARFOPEN_H
#define HOTLD_DWARFOPEN_H

#include <stddef.h>

#include "dwarflib.h"

/* A handle on the DWARF of size bytes of ELF, and the memfd it reads
 * (*fd), or NULL if there is none or libdwarf cannot read it. */
Dwarf_Debug dwarf_open_bytes(const void *bytes, size_t size, int *fd);
void dwarf_close_bytes(Dwarf_Debug dbg, int fd);

#endif
