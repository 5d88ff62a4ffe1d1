/* Pointers into storage a reload moves (a migrated variable, or one its
 * section's new layout moved), wherever the program keeps them, point to
 * the same place in the new storage after the commit (pointerscan.c). */
#ifndef HOTLD_POINTERSCAN_H
#define HOTLD_POINTERSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "databind.h"
#include "owned.h"
#include "patch.h"

struct moved_storage;
struct span {
    uintptr_t lo, hi;
};

struct pointer_scan {
    enum pointer_reach reach;
    struct moved_storage *moves;
    size_t nmoves;
    uintptr_t lo, hi;           /* every move's old range lies inside */
    uintptr_t *vouched;         /* sorted: data words whose relocation made
                                   them point at an ambiguous start */
    size_t nvouched;
    struct span *skip;          /* sorted: memory the scan leaves alone */
    size_t nskip, capskip;
    struct owned_block *owned;  /* hotld's heap blocks when prepared */
    size_t nowned;
    uintptr_t floor;            /* the calling thread's stack: program
                                   frames above, hotld's below */
    int pagemap;                /* /proc/self/pagemap, or -1 */
    bool prepared;
    size_t in_data, in_memory;  /* words rewritten, for the report */
    size_t ambiguous;           /* words left: at a moved variable's start,
                                   which is another object's end */
    const char *ambiguous_name; /* the first such variable's symbol */
};

/* Before the threads are parked (it allocates): what moves (r's variables
 * but those whose old storage an overwrite keeps: a registry's entries),
 * and what the scan must leave alone. */
void pointers_prepare(struct pointer_scan *ps, const struct bind_result *r, const struct overwrite *kept,
                      size_t nkept, struct link *const *gens, size_t ngens, enum pointer_reach reach);
/* At the commit, after the values moved: rewrite every pointer found.
 * Allocates nothing and takes no lock. */
void pointers_rewrite(struct pointer_scan *ps, struct link *const *gens, size_t ngens);
void pointers_free(struct pointer_scan *ps);

/* hotld's own threads call these as they start and end: their stacks
 * are hotld's. */
void pointers_skip_own_stack(void);
void pointers_forget_own_stack(void);
/* A program thread that runs a reload (at hotld_poll()) says where its
 * program frames end: the frames below, hotld's, are not scanned. 0 when
 * it is done. */
void pointers_program_frames_above(uintptr_t frame);

#endif
