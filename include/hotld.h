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
 *   hotld_protect(f, p)    call f(p) and return 0. If code the last reload
 *                          brought crashes under it (SIGSEGV, SIGBUS,
 *                          SIGFPE, SIGILL, abort) and the session runs
 *                          with --rollback (the default with --watch),
 *                          hotld prints where, puts that reload's objects
 *                          back to their previous versions, and returns
 *                          the signal's number instead: wrap a game's
 *                          per-frame update in it, and a bad edit costs a
 *                          frame, not the session. Elsewhere a crash of
 *                          reloaded code is reported with a symbolized
 *                          backtrace and kills the program as usual.
 *                          Linked without hotld: f(p), then 0.
 *   hotld_lookup(name)     the address of a function or variable of the
 *                          program by name (a global, else the first local
 *                          of that name; a thread-local variable: the
 *                          calling thread's copy), or NULL.
 *   hotld_symbols(fn, ctx) call fn(sym, ctx) for every function and
 *                          variable of the program's current objects, with
 *                          its name, address, size, kind, defining object
 *                          and version, until fn returns non-zero; returns
 *                          how many it visited. fn must not call
 *                          hotld_poll (a reload would wait for it).
 *
 * Migrating a variable yourself. When a reload changes a variable's type,
 * hotld compares the old and new types (from the objects' DWARF, -g) and
 * carries the value over field by field where it can. To decide yourself,
 * define in the new version of the object
 *
 *     void hotld_migrate_NAME(const void *old, void *new);
 *
 * where NAME is the variable's name (a function static's own name, without
 * gcc's ".N"). It takes precedence over hotld's own migration and over
 * --on-conflict whenever the type changed. old points to the variable as
 * the running program had it (old layout, still valid), new to its new
 * storage, already holding the new initial value. It is called once, during
 * the reload's commit, while every other thread of the program is parked
 * at an unknown point: it must not allocate, take locks, do I/O, or call
 * code that might. It is an ordinary function (no hotld.h needed for it);
 * linked without hotld, nothing calls it.
 */
#ifndef HOTLD_H
#define HOTLD_H

#ifdef __cplusplus
extern "C" {
#endif

enum hotld_symbol_kind { HOTLD_FUNCTION, HOTLD_OBJECT, HOTLD_TLS };

struct hotld_symbol {
    const char *name;
    void *address;              /* a thread-local variable: this thread's copy */
    unsigned long size;
    int kind;                   /* enum hotld_symbol_kind */
    const char *object;         /* "game.o", "libz.a(deflate.o)" */
    unsigned version;           /* the reload that loaded it, 0 at start */
};

void __hotld_poll(void) __attribute__((weak));
void *__hotld_lookup(const char *name) __attribute__((weak));
int __hotld_symbols(int (*fn)(const struct hotld_symbol *sym, void *ctx), void *ctx) __attribute__((weak));
void __hotld_on_reload(void (*callback)(void *ctx), void *ctx) __attribute__((weak));
int __hotld_protect(void (*fn)(void *ctx), void *ctx) __attribute__((weak));
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

static inline int hotld_protect(void (*fn)(void *ctx), void *ctx)
{
    if (__hotld_protect)
        return __hotld_protect(fn, ctx);
    fn(ctx);
    return 0;
}

static inline void *hotld_lookup(const char *name)
{
    return __hotld_lookup ? __hotld_lookup(name) : (void *)0;
}

static inline int hotld_symbols(int (*fn)(const struct hotld_symbol *sym, void *ctx), void *ctx)
{
    return __hotld_symbols ? __hotld_symbols(fn, ctx) : 0;
}

#ifdef __cplusplus
}
#endif

#endif
