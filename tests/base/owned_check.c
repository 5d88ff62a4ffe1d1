/* base/owned.c's table of hotld's heap blocks: blocks noted in the
 * patterns a heap has (thousands of small ones side by side, which wrap
 * the table many times over, and large ones between), half of them
 * forgotten in an order of their own, then noted again: after each step
 * owned_blocks lists exactly the blocks an array kept beside it says.
 * Prints "ok NAME" or "not ok NAME: why" per check. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "owned.h"

#define SUITE "owned"
#include "check.h"

#define NBLOCKS 20000

static void *block[NBLOCKS];
static int noted[NBLOCKS];
static struct owned_block listed[NBLOCKS + 1];

/* Does owned_blocks list every noted block, and nothing else? */
static int lists_exactly_the_noted(void)
{
    size_t n = owned_blocks(listed, NBLOCKS + 1), want = 0;
    for (size_t i = 0; i < NBLOCKS; i++) {
        want += (size_t)noted[i];
        uintptr_t p = (uintptr_t)block[i];
        if (owned_block_holds(listed, n, p) != noted[i])
            return 0;
    }
    return n == want;
}

int main(void)
{
    for (size_t i = 0; i < NBLOCKS; i++) {
        block[i] = malloc(i % 97 == 0 ? 5000 : 24 + 16 * (i % 3));
        owned_note((uintptr_t)block[i]);
        noted[i] = 1;
    }
    check("all-noted", lists_exactly_the_noted(), "a noted block is missing, or one is listed twice");
    for (size_t k = 0; k < NBLOCKS; k++) { /* every other block, in a stride that crosses the runs */
        size_t i = (k * 7919) % NBLOCKS;
        if (i % 2) {
            owned_forget((uintptr_t)block[i]);
            noted[i] = 0;
        }
    }
    check("half-forgotten", lists_exactly_the_noted(), "a forgotten block is listed, or a kept one lost");
    owned_forget(0);
    owned_forget((uintptr_t)block[1]); /* already gone */
    check("forget-unknown", lists_exactly_the_noted(), "forgetting 0 or a block not noted changed the table");
    for (size_t i = 1; i < NBLOCKS; i += 2) {
        owned_note((uintptr_t)block[i]);
        noted[i] = 1;
    }
    check("noted-again", lists_exactly_the_noted(), "a block noted again is missing");
    return failed;
}
