/* Small helpers shared by every pass: allocation that cannot fail, error
 * reporting that never exits (a failed reload must leave the program
 * running), timing for -v, and the thread pointer. */
#ifndef HOTLD_UTIL_H
#define HOTLD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The calling thread's thread pointer (%fs base): where its static TLS
 * ends. */
static inline uintptr_t thread_pointer(void)
{
    uintptr_t tp;
    __asm__("mov %%fs:0, %0" : "=r"(tp));
    return tp;
}
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))

/* The last component of a path: "game.o" of "/src/game.o". */
const char *path_base(const char *path);
/* Does s begin with prefix? */
bool starts_with(const char *s, const char *prefix);
/* path from the directory the process started in, when it is under it
 * (messages name files as the user typed them); else path itself. */
const char *path_shown(const char *path);
/* Remember that directory: call before anything can chdir. */
void path_shown_init(void);
/* Write path anew, through PATH.next renamed over it: a process that has
 * the old file open or mapped keeps it whole. -1 said with fail(). */
int file_replace(const char *path, const void *bytes, size_t size);

/* Blocks from these are hotld's own (base/owned.h) until xfree, which
 * frees any heap block. The first link's come from its heap (linkheap.h).
 * The x ones end hotld when memory runs out; the _owned ones return NULL
 * as malloc does (libelf's allocator, base/elfalloc.c, must). */
void *malloc_owned(size_t n);
void *calloc_owned(size_t count, size_t size);
void *realloc_owned(void *p, size_t n);
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xfree(void *p);

/* Grow *items (of *cap elements of elem bytes) so that index n fits. */
void grow_array(void **items, size_t *cap, size_t n, size_t elem);
#define ARRAY_PUSH(arr, len, cap, val)                                        \
    do {                                                                      \
        grow_array((void **)&(arr), &(cap), (len) + 1, sizeof(*(arr)));       \
        (arr)[(len)++] = (val);                                               \
    } while (0)

/* How many of the n elements (stride bytes apart, sorted by the address
 * at byte offset `at` of each) start at or below addr: a binary search for
 * the last one that may hold it. */
size_t count_starting_upto(const void *elems, size_t n, size_t stride, size_t at, uintptr_t addr);
#define COUNT_STARTING_UPTO(arr, n, field, addr)                              \
    (count_starting_upto((arr), (n), sizeof(*(arr)), offsetof(__typeof__(*(arr)), field), (addr)) + \
     0 * sizeof(char[sizeof((arr)->field) == sizeof(uintptr_t) ? 1 : -1]))

/* Record the first error of an operation. Returns -1 so callers can write
 * `return fail("...")`. Later errors are dropped: the first one is the
 * cause, the rest are usually consequences. Each thread has its own. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *last_error(void);
void clear_error(void);

void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* -v: print each phase with its duration. */
extern bool verbose;
double now_ms(void);
void phase_done(const char *phase, double start_ms);

#endif
