/* A generation's debug image in chunks of consecutive objects, and the
 * addresses each chunk's image covers (see chunks.c). */
#ifndef HOTLD_GDB_CHUNKS_H
#define HOTLD_GDB_CHUNKS_H

#include "linker.h"

/* How ld's objects would be split: *out gets the chunks (no images yet),
 * and the count is returned; 1 if the generation is too small to split. */
size_t debug_chunks_plan(const struct link *ld, struct debug_chunk **out);

/* A stretch of one of ld's segments, and the chunk whose image covers it. */
struct debug_run {
    uintptr_t start, end;
    int seg;
    size_t owner;               /* index in the chunk list */
};

/* Every address of ld's segments, in runs by chunk: each object's loaded
 * sections go to its chunk's image; what the link made (stubs, GOT,
 * unwind tables) and the gaps, to the first chunk's. In address order. */
struct debug_cover {
    struct debug_run *runs;
    size_t n, cap;
};
void debug_cover_make(const struct link *ld, const struct debug_chunk *chunks, size_t nchunks,
                      struct debug_cover *cover);
void debug_cover_free(struct debug_cover *cover);

#endif
