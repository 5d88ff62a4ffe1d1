/* The files an object was compiled from, as its line tables name them. */
#ifndef HOTLD_SRCFILES_H
#define HOTLD_SRCFILES_H

#include <stddef.h>

/* Call each(path, ctx) for every file the line tables of the ELF object
 * of size bytes name (its source, and the headers that gave it code or
 * declarations), relative ones made absolute with the unit's directory.
 * False if it has no DWARF that libdwarf reads. */
bool dwarf_source_files(const void *bytes, size_t size, void (*each)(const char *path, void *ctx), void *ctx);

#endif
