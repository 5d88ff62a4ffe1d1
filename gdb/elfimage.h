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

/* The image of ld's objects (named as by elfimage_build) as a file that
 * ld's code and constants can be mapped from (see elfimage.c): their
 * segments' bytes, at file offsets equal to their addresses, which are
 * the load addresses less ld's image base (whose first page is the
 * file's headers'). The bytes are those in memory now, or those of
 * segments_from, an earlier such file of ld, if not NULL. */
void *elfimage_build_mappable(const struct link *ld, struct object *const *objs, size_t n,
                              struct object *const *old, size_t nold, unsigned version,
                              const void *segments_from, size_t *size);
/* Its program headers: a PT_LOAD of the headers' page; a PT_LOAD per
 * segment but the data; the unwind tables' index. */
#define IMAGE_FILE_MAX_PHDRS (NSEGMENTS + 2)

#endif
