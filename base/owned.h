/* hotld's own heap blocks. hotld shares the program's heap, and a reload
 * that moves a variable rewrites the pointers to it that it finds in the
 * program's memory (reload/pointerscan.c). hotld's records hold such
 * addresses too (a section's place, a symbol's value), and must not be
 * rewritten: every block allocated through util.h is noted here until
 * xfree, so that the scan can leave it alone. */
#ifndef HOTLD_OWNED_H
#define HOTLD_OWNED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct owned_block {
    uintptr_t start, end;
};

void owned_note(uintptr_t p);
void owned_forget(uintptr_t p);

/* Blocks that are mappings of their own (hugeblock.c), up to
 * OWNED_MAX_SPANS at once: noted with their size (false: no room),
 * asked for it (0: not one), resized and forgotten. */
#define OWNED_MAX_SPANS 256
bool owned_note_span(uintptr_t start, size_t size);
size_t owned_span_size(uintptr_t start);
void owned_resize_span(uintptr_t start, size_t size);
void owned_forget_span(uintptr_t start);

/* The blocks noted now, sorted by address: up to cap of them into out;
 * returns how many there are (more than cap: call again with more). */
size_t owned_blocks(struct owned_block *out, size_t cap);
/* Is addr inside one of the n sorted blocks? Allocates nothing. */
bool owned_block_holds(const struct owned_block *blocks, size_t n, uintptr_t addr);

#endif
