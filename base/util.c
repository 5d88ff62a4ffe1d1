#include "util.h"
#include "hugeblock.h"
#include "linkheap.h"
#include "owned.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool verbose;

static void out_of_memory(size_t n)
{
    fprintf(stderr, "hotld: error: out of memory allocating %zu bytes\n", n);
    abort();
}

static void *noted(void *p)
{
    if (p)
        owned_note((uintptr_t)p);
    return p;
}

/* From the first link's heap while it is open, then a huge block for a
 * large one; NULL: malloc serves. */
static void *from_big_pages(size_t n)
{
    void *p = linkheap_alloc(n);
    return p ? p : hugeblock_alloc(n);
}

void *malloc_owned(size_t n)
{
    void *p = from_big_pages(n);
    return p ? p : noted(malloc(n ? n : 1));
}

void *calloc_owned(size_t count, size_t size)
{
    size_t n;
    void *p = __builtin_mul_overflow(count, size, &n) ? NULL : from_big_pages(n);
    return p ? p : noted(calloc(count ? count : 1, size ? size : 1));
}

/* Block q (of n bytes) with p's first bytes (of old), p freed; NULL if
 * there is no q (p kept). */
static void *taken_over(void *q, void *p, size_t old, size_t n)
{
    if (!q)
        return NULL;
    memcpy(q, p, old < n ? old : n);
    xfree(p);
    return q;
}

void *realloc_owned(void *p, size_t n)
{
    if (!p)
        return malloc_owned(n);
    if (linkheap_holds(p)) /* a copy: the heap only grows */
        return taken_over(malloc_owned(n), p, linkheap_size(p), n);
    size_t huge = hugeblock_size(p);
    if (huge) /* in place if its mapping has room; shrunk below 2 MiB, to malloc */
        return n >= HUGEBLOCK_MIN && hugeblock_resize(p, n) ? p : taken_over(malloc_owned(n), p, huge, n);
    void *q = n >= HUGEBLOCK_MIN ? hugeblock_alloc(n) : NULL; /* grown into a huge block */
    if (q)
        return taken_over(q, p, malloc_usable_size(p), n);
    owned_forget((uintptr_t)p);
    q = realloc(p, n ? n : 1);
    owned_note(q ? (uintptr_t)q : (uintptr_t)p); /* failed: the old block stays */
    return q;
}

void *xmalloc(size_t n)
{
    void *p = malloc_owned(n);
    if (!p)
        out_of_memory(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc_owned(count, size);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc_owned(p, n);
    if (!q)
        out_of_memory(n);
    return q;
}

void xfree(void *p)
{
    if (linkheap_holds(p))
        return; /* the link heap's blocks are never reused (linkheap.c) */
    if (hugeblock_free(p))
        return;
    owned_forget((uintptr_t)p);
    free(p);
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        out_of_memory(strlen(fmt));
    va_end(ap);
    owned_note((uintptr_t)s);
    return s;
}

void grow_array(void **items, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap)
        return;
    size_t c = *cap ? *cap * 2 : 8;
    while (c < n)
        c *= 2;
    *items = xrealloc(*items, c * elem);
    *cap = c;
}

size_t count_starting_upto(const void *elems, size_t n, size_t stride, size_t at, uintptr_t addr)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uintptr_t start;
        memcpy(&start, (const char *)elems + mid * stride + at, sizeof start);
        if (start <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Each thread's own: a question answered by the control thread must not
 * clear or overwrite the error of a reload running in another. */
static _Thread_local char error_text[1024];

int fail(const char *fmt, ...)
{
    if (error_text[0])
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error_text, sizeof error_text, fmt, ap);
    va_end(ap);
    return -1;
}

const char *last_error(void)
{
    return error_text[0] ? error_text : "unknown error";
}

void clear_error(void)
{
    error_text[0] = 0;
}

void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("hotld: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void phase_done(const char *phase, double start_ms)
{
    if (verbose)
        fprintf(stderr, "hotld: %-10s %8.3f ms\n", phase, now_ms() - start_ms);
}

static char *start_dir;

void path_shown_init(void)
{
    start_dir = getcwd(NULL, 0);
}

const char *path_shown(const char *path)
{
    size_t n = start_dir ? strlen(start_dir) : 0;
    if (n > 1 && !strncmp(path, start_dir, n) && path[n] == '/' && path[n + 1])
        return path + n + 1;
    return path;
}

/* The first two characters are compared before any call: most names
 * fail there (section names all begin with a dot, so the second tells),
 * 30,000 of them in a 1,000-object start. */
bool starts_with(const char *s, const char *prefix)
{
    for (int i = 0; i < 2; i++) {
        if (!prefix[i])
            return true;
        if (s[i] != prefix[i])
            return false;
    }
    return !strncmp(s + 2, prefix + 2, strlen(prefix + 2));
}

const char *path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int file_replace(const char *path, const void *bytes, size_t size)
{
    char *next = xasprintf("%s.next", path);
    int fd = open(next, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err = fd < 0 ? errno : 0;
    for (size_t done = 0; !err && done < size;) {
        ssize_t n = write(fd, (const char *)bytes + done, size - done);
        if (n <= 0)
            err = n < 0 ? errno : ENOSPC;
        else
            done += (size_t)n;
    }
    if (fd >= 0 && close(fd) < 0 && !err)
        err = errno;
    if (!err && rename(next, path) < 0)
        err = errno;
    if (err)
        unlink(next);
    xfree(next);
    return err ? fail("%s: cannot write: %s", path, strerror(err)) : 0;
}
