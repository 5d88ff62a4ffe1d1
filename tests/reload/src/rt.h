/* Shared by the hot-reload test programs (tests/reload/src/).
 *
 * The programs are driven through stdin, one command per line, and answer
 * on stdout (line-buffered). An answer to "q TAG" is lines "TAG KEY VALUE"
 * followed by "TAG end"; "quit" (or end of input) makes main return 0.
 *
 * VER is the version of a source file being edited: the tests compile the
 * same file with -DVER=1, -DVER=2, ... to the same object path. */
#ifndef RELOAD_TEST_RT_H
#define RELOAD_TEST_RT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VER
#define VER 1
#endif

/* A function whose calls must stay real calls at -O2: a reload can only
 * redirect a call that exists, so the compiler must not inline it, clone
 * it, or fold its result into the caller (gcc: noipa; clang has no noipa,
 * and "used" keeps it from changing the function's signature). */
#ifdef __clang__
#define RELOADABLE __attribute__((noinline, used))
#else
#define RELOADABLE __attribute__((noipa, used))
#endif

/* v, as a value the compiler cannot see through: a RELOADABLE function
 * returning opaque_int(VER) cannot have its result folded into a caller in
 * the same file (clang does that even for noinline functions). */
static inline int opaque_int(int v)
{
    __asm__ volatile("" : "+r"(v));
    return v;
}

/* Read one command line into buf, without the newline. 0 at end of input. */
static inline int next_command(char *buf, int size)
{
    if (!fgets(buf, size, stdin))
        return 0;
    buf[strcspn(buf, "\n")] = 0;
    return 1;
}

/* "q TAG" -> TAG, else NULL. */
static inline const char *query_tag(const char *line)
{
    return strncmp(line, "q ", 2) ? NULL : line + 2;
}

/* The usual main loop: say "ready", then answer every "q TAG" with
 * answer(TAG) followed by "TAG end", until "quit" or end of input. Any
 * other line goes to other(LINE) if given. */
static inline int serve_queries(void (*answer)(const char *tag), void (*other)(const char *line))
{
    char line[256];
    const char *tag;
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (next_command(line, sizeof line)) {
        if ((tag = query_tag(line))) {
            answer(tag);
            printf("%s end\n", tag);
        } else if (!strcmp(line, "quit")) {
            break;
        } else if (other) {
            other(line);
        }
    }
    return 0;
}

#ifdef RT_POLLING
#include <errno.h>
#include <poll.h>
#include <unistd.h>

/* serve_queries for a program that gets its reloads at hotld_poll(): the
 * loop waits for input 20 ms at a time and calls poll_fn (hotld_poll) in
 * between, so reloads run in this thread, below main's frame. */
static inline int serve_queries_polling(void (*answer)(const char *tag), void (*other)(const char *line),
                                        void (*poll_fn)(void))
{
    char buf[512];
    size_t len = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    for (;;) {
        struct pollfd pfd = {0, POLLIN, 0};
        int r = poll(&pfd, 1, 20);
        char *nl;
        poll_fn();
        if (r <= 0)
            continue;
        ssize_t got = read(0, buf + len, sizeof buf - 1 - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return 0;
        len += (size_t)got;
        buf[len] = 0;
        while ((nl = strchr(buf, '\n'))) {
            const char *tag;
            *nl = 0;
            if ((tag = query_tag(buf))) {
                answer(tag);
                printf("%s end\n", tag);
            } else if (!strcmp(buf, "quit")) {
                return 0;
            } else if (other) {
                other(buf);
            }
            len -= (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, len + 1);
        }
        if (len == sizeof buf - 1)
            len = 0;            /* an overlong line: drop it */
    }
}
#endif


#endif
