/* One ELF image with the symbols and DWARF of several loaded objects of
 * one generation, for GDB's JIT interface (see elfimage.c). */
#ifndef HOTLD_GDB_ELFIMAGE_H
#define HOTLD_GDB_ELFIMAGE_H

#include "chunks.h"
#include "linker.h"

/* Source files of compilation units, as absolute paths. */
struct source_list {
    char **paths;
    size_t n, cap;
};

/* Objects of one link (generation `version`) that an image names: cur
 * are current; old were replaced but may still run, and their names
 * become NAME#version (gdb/oldnames.c). */
struct image_objects {
    struct object *const *cur, *const *old;
    size_t ncur, nold;
    unsigned version;
};

/* The addresses an image covers: runs of its link's segments (a chunk's,
 * chunks.c); the first chunk's image has the unwind tables too. */
struct image_cover {
    const struct debug_run *runs;
    size_t n;
    bool unwind;
};

/* The image of objs, which belong to link ld, covering all of ld's
 * segments (cover NULL) or cover's runs. The old objects' sources become
 * SOURCE_ROOT/vVERSION/BASENAME#version when source_root is given. The
 * current objects' source files are added to *sources (if not NULL), for
 * snapshots. Returns a malloc'd image of *size bytes. */
void *elfimage_build(const struct link *ld, const struct image_objects *objs, const struct image_cover *cover,
                     const char *source_root, struct source_list *sources, size_t *size);
void source_list_free(struct source_list *l);

/* The image of ld's objects (named as by elfimage_build) as a file that
 * ld's code and constants can be mapped from (see elfimage.c): their
 * segments' bytes, at file offsets equal to their addresses, which are
 * the load addresses less ld's image base (whose first page is the
 * file's headers'). The bytes are those in memory now, or those of
 * segments_from, an earlier such file of ld, if not NULL. */
void *elfimage_build_mappable(const struct link *ld, const struct image_objects *objs,
                              const void *segments_from, size_t *size);
/* Its program headers: a PT_LOAD of the headers' page; a PT_LOAD per
 * segment but the data; the unwind tables' index. */
#define IMAGE_FILE_MAX_PHDRS (NSEGMENTS + 2)

#endif
