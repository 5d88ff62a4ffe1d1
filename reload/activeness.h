/* Whether old code still uses a variable whose storage a reload moves
 * (activeness.c). Plan before parking; check with the world parked. */
#ifndef HOTLD_ACTIVENESS_H
#define HOTLD_ACTIVENESS_H

#include <stdbool.h>
#include <stdint.h>

#include "databind.h"

struct program;

struct code_range {
    uintptr_t start, end;
    const char *func;
    const char *var;            /* the displaced variable it uses */
    unsigned version;           /* of its object, 0 the first */
    uint8_t *resume;            /* per offset: 1 if execution resumed there
                                   cannot reach a use, 2 if it can, 0 not
                                   an instruction; NULL: undecodable, all can */
};

struct activeness {
    struct code_range *users;   /* old functions using a displaced variable */
    size_t nusers, capusers;
    struct code_range *unsafe;  /* code that may hold the unwinder's locks */
    size_t nunsafe, capunsafe;
    const struct code_range *blocker; /* the last user found running */
    const struct code_range *own; /* one the committing thread is in */
};

void activeness_plan(struct activeness *a, const struct program *pg, const struct bind_result *r);
/* With the world parked: may the parked threads be asked to unwind (none
 * is in code that may hold the unwinder's locks)? */
bool activeness_can_unwind(const struct activeness *a);
/* With the world parked: true if no thread runs or has a frame in a user.
 * The threads get up to wait_ms to unwind their stacks. */
bool activeness_clear(struct activeness *a, int wait_ms);
/* The reload's error after --reload-timeout: who was still running. */
int activeness_fail(const struct activeness *a, int timeout_ms);
void activeness_free(struct activeness *a);

#endif
