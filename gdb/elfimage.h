/* One ELF image with the symbols and DWARF of several loaded objects of
 * one generation, for GDB's JIT interface (see elfimage.c). */
#ifndef HOTLD_GDB_ELFIMAGE_H
#define HOTLD_GDB_ELFIMAGE_H

#include "linker.h"

/* objs all belong to link ld. Returns a malloc'd image of *size bytes. */
void *elfimage_build(const struct link *ld, struct object *const *objs, size_t n, size_t *size);

#endif
