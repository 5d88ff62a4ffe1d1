/* Making an earlier version current again instead of loading a copy of
 * it (reuse.c). */
#ifndef HOTLD_REUSE_H
#define HOTLD_REUSE_H

#include "jump.h"
#include "program.h"

/* An entry of the earlier image that a reload made jump on: its own
 * bytes, to write back. */
struct entry_restore {
    uintptr_t at;
    uint8_t bytes[JMP_SIZE];
};

/* The reload whose objects are nl's, byte for byte, and whose image can
 * be made current again; NULL if there is none. */
struct link *reuse_candidate(const struct program *pg, const struct link *nl);
/* The same objects, in the same order, with the same bytes? */
bool reuse_same_objects(const struct link *nl, const struct link *g);
/* Would linking nl leave the program's data, thread-local blocks and
 * IFUNCs as they are? (b: how its variables were bound) */
bool reuse_needs_nothing_new(const struct link *nl, const struct bind_result *b);
/* nl, relocated at g's addresses into pages of its own: is it g's image,
 * but for jumps at function entries (put into *r, to restore)? */
bool reuse_same_image(const struct link *nl, const struct link *g, struct entry_restore **r, size_t *n);

#endif
