/* One ELF image with the symbols and DWARF of several loaded objects of
 * one generation, for GDB's JIT interface (see elfimage.c). */
#ifndef HOTLD_GDB_ELFIMAGE_H
#define HOTLD_GDB_ELFIMAGE_H

#include "linker.h"

/* Source files of compilation units, as absolute paths. */
struct source_list {
    char **paths;
    size_t n, cap;
};

/* objs and old all belong to link ld (generation `version`): objs are
 * current; old were replaced but may still run, and their names become
 * NAME#version (gdb/oldnames.c), their sources SOURCE_ROOT/vVERSION/
 * BASENAME#version when source_root is given. The current objects' source
 * files are added to *sources (if not NULL), for snapshots. Returns a
 * malloc'd image of *size bytes. */
void *elfimage_build(const struct link *ld, struct object *const *objs, size_t n,
                     struct object *const *old, size_t nold, unsigned version,
                     const char *source_root, struct source_list *sources, size_t *size);
void source_list_free(struct source_list *l);

/* The image of all of ld's objects as a file that ld's code and
 * constants can be mapped from (see elfimage.c): their segments' bytes
 * as they are now, at file offsets equal to their addresses, which are
 * the load addresses less ld's image base, plus one page. */
void *elfimage_build_mappable(const struct link *ld, size_t *size);

#endif
