/* What the base/ checks share: each prints "ok SUITE/NAME" or "not ok
 * SUITE/NAME: why" per check (SUITE defined before this is included) and
 * exits with `failed`; and whether bytes are among hotld's own blocks
 * (base/owned.h), which a reload's pointer scan leaves alone. */
#ifndef HOTLD_TESTS_BASE_CHECK_H
#define HOTLD_TESTS_BASE_CHECK_H

#include <stdint.h>
#include <stdio.h>

#include "owned.h"

static int failed;

static void check(const char *name, int good, const char *why)
{
    printf(good ? "ok " SUITE "/%s\n" : "not ok " SUITE "/%s: %s\n", name, why);
    failed |= !good;
}

/* Is every byte of [p, p + n) inside one of hotld's own blocks? */
__attribute__((unused)) static int owned(const void *p, size_t n)
{
    static struct owned_block blocks[1 << 16];
    size_t count = owned_blocks(blocks, sizeof blocks / sizeof *blocks);
    return count <= sizeof blocks / sizeof *blocks && owned_block_holds(blocks, count, (uintptr_t)p) &&
           owned_block_holds(blocks, count, (uintptr_t)p + n - 1);
}

#endif
