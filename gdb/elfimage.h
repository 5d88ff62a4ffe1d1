/* One ELF image with the symbols and DWARF of several loaded objects of
 * one generation, for GDB's JIT interface (see elfimage.c). */
#ifndef HOTLD_GDB_ELFIMAGE_H
#define HOTLD_GDB_ELFIMAGE_H

#include "linker.h"

/* objs and old all belong to link ld: objs are current (symbols and DWARF),
 * old were replaced but may still run (symbols only, named NAME@version).
 * Returns a malloc'd image of *size bytes. */
void *elfimage_build(const struct link *ld, struct object *const *objs, size_t n,
                     struct object *const *old, size_t nold, unsigned version, size_t *size);

#endif
