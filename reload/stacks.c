#include "stacks.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procmaps.h"
#include "util.h"

struct mapping {
    uintptr_t start, end;
};

static struct mapping *maps;    /* sorted by start, as the kernel lists them */
static size_t nmaps, capmaps;
static size_t nlines;           /* mappings the last reading listed */
/* While the world is stopped, if the kernel answers: the mappings are
 * asked for one stack at a time, and maps holds those asked so far. */
static int query_fd = -1;

static void count_line(const char *text, void *ctx)
{
    (void)text;
    ++*(size_t *)ctx;
}

/* Room for twice the mappings the last stop saw: reading the mappings
 * costs 40 us a time, and counting them first is needed only once (a
 * stop that found them outgrown counted them all). */
void stacks_prepare(void)
{
    if (!capmaps)
        procmaps_each_line(count_line, &nlines);
    if (nlines * 2 + 256 > capmaps) {
        xfree(maps);
        capmaps = nlines * 2 + 256;
        maps = xcalloc(capmaps, sizeof *maps);
    }
}

static void add_line(const char *text, void *ctx)
{
    (void)ctx;
    char *end;
    uintptr_t lo = strtoul(text, &end, 16);
    if (*end == '-' && nmaps < capmaps)
        maps[nmaps++] = (struct mapping){lo, strtoul(end + 1, NULL, 16)};
    nlines++;
}

/* Each reload adds mappings of its own, so that reading them all grows
 * with the reloads a program has had (300 lines: 0.2 ms); asking for the
 * few that hold stacks does not. */
bool stacks_load(void)
{
    nmaps = nlines = 0;
    stacks_unload();
    if ((query_fd = procmaps_open_query()) >= 0)
        return true;
    procmaps_each_line(add_line, NULL);
    return nlines <= capmaps;
}

void stacks_unload(void)
{
    if (query_fd >= 0)
        close(query_fd);
    query_fd = -1;
}

/* Where sp would go in maps: the first mapping that ends above it. */
static size_t mapping_slot(uintptr_t sp)
{
    size_t lo = 0, hi = nmaps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (maps[mid].end <= sp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The kernel's answer for sp, kept in maps (if there is room: nothing is
 * allocated while the world is stopped). */
static uintptr_t ask_mapping_end(uintptr_t sp, size_t at)
{
    struct mapping m;
    if (!procmaps_query(query_fd, sp, &m.start, &m.end))
        return 0;
    if (nmaps < capmaps) {
        memmove(maps + at + 1, maps + at, (nmaps - at) * sizeof *maps);
        maps[at] = m;
        nmaps++;
    }
    return m.end;
}

/* The end of the mapping that holds sp; 0 if none is known. */
static uintptr_t mapping_end(uintptr_t sp)
{
    size_t at = mapping_slot(sp);
    if (at < nmaps && maps[at].start <= sp)
        return maps[at].end;
    return query_fd >= 0 ? ask_mapping_end(sp, at) : 0;
}

/* Other threads' stacks hold hotld's own frames too, whose redzones an
 * ASan build of hotld would take these reads for overflows into. */
__attribute__((no_sanitize("address"))) bool stack_find_slot(uintptr_t from,
                                                             bool (*hit)(uintptr_t word, const void *ctx),
                                                             const void *ctx, uintptr_t *slot)
{
    uintptr_t end = mapping_end(from);
    for (uintptr_t at = from & ~(uintptr_t)7; at + 8 <= end; at += 8)
        if (hit(*(const uintptr_t *)at, ctx)) {
            *slot = at;
            return true;
        }
    return false;
}

__attribute__((no_sanitize("address"))) bool stack_find(uintptr_t sp, bool (*hit)(uintptr_t word, const void *ctx),
                                                        const void *ctx, uintptr_t *found)
{
    uintptr_t slot;
    if (!stack_find_slot(sp, hit, ctx, &slot))
        return false;
    *found = *(const uintptr_t *)slot;
    return true;
}

__attribute__((no_sanitize("address"))) size_t stack_find_all(uintptr_t sp,
                                                              bool (*hit)(uintptr_t word, const void *ctx),
                                                              const void *ctx, uintptr_t *out, size_t cap)
{
    uintptr_t end = mapping_end(sp);
    size_t n = 0;
    for (uintptr_t at = sp & ~(uintptr_t)7; cap && at + 8 <= end; at += 8) {
        uintptr_t word = *(const uintptr_t *)at;
        if (!hit(word, ctx))
            continue;
        if (n == cap)
            memmove(out, out + 1, --n * sizeof *out);
        out[n++] = word;
    }
    return n;
}
