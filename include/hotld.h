/* hotld.h: the API a program may use when it runs under hotld.
 *
 * Every function here is a no-op (or returns 0) when the program is linked
 * normally, without hotld: the hotld entry points are weak references that
 * stay null in a normal link and are resolved by hotld when it loads the
 * program. No library to link, no #ifdef needed.
 *
 *   hotld_poll()           apply a pending reload now, in this thread, at a
 *                          point of the program's choosing (a frame
 *                          boundary, say). Once a program has called it,
 *                          reloads wait for its next call instead of
 *                          interrupting the program's threads.
 *   hotld_on_reload(f, p)  call f(p) after each applied reload, in the
 *                          thread that applied it (up to 32 callbacks).
 *   hotld_generation()     how many reloads have been applied (0 at start).
 */
#ifndef HOTLD_H
#define HOTLD_H

#ifdef __cplusplus
extern "C" {
#endif

void __hotld_poll(void) __attribute__((weak));
void __hotld_on_reload(void (*callback)(void *ctx), void *ctx) __attribute__((weak));
unsigned __hotld_generation(void) __attribute__((weak));

static inline void hotld_poll(void)
{
    if (__hotld_poll)
        __hotld_poll();
}

static inline void hotld_on_reload(void (*callback)(void *ctx), void *ctx)
{
    if (__hotld_on_reload)
        __hotld_on_reload(callback, ctx);
}

static inline unsigned hotld_generation(void)
{
    return __hotld_generation ? __hotld_generation() : 0;
}

#ifdef __cplusplus
}
#endif

#endif
