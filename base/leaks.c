/* LeakSanitizer, when a sanitizer runtime is in the process (objects
 * built with -fsanitize=address or leak), must report the program's
 * leaks as the linked program's would, and nothing else:
 *   - hotld's own heap blocks are not the program's: its threads, and the
 *     main thread until the program's main starts, allocate with LSan
 *     told to look away (__lsan_disable, a per-thread count);
 *   - the image is anonymous memory, not a module LSan scans for roots:
 *     each generation's image is registered as a root region, so a block
 *     only a global of the program points to is not called a leak.
 * The runtime's entry points are looked up, not linked: without one,
 * each of these does nothing. */
#include "leaks.h"

#include <dlfcn.h>
#include <link.h>
#include <stdatomic.h>

/* An entry point of the runtime, looked up again only when objects were
 * loaded since the last look: a dlsym that finds nothing formats an
 * error message, and a thread's first one sets up its error state, which
 * made each prefetch helper start a tenth of a millisecond late. */
struct entry {
    const char *name;
    _Atomic(void *) fn;
    atomic_ullong looked_at;    /* the count of loaded objects then, + 1 */
};

static int first_object(struct dl_phdr_info *info, size_t size, void *adds)
{
    (void)size;
    *(unsigned long long *)adds = info->dlpi_adds;
    return 1;
}

static void *entry_point(struct entry *e)
{
    void *fn = atomic_load(&e->fn);
    unsigned long long adds = 0;
    if (fn || (dl_iterate_phdr(first_object, &adds), atomic_load(&e->looked_at) == adds + 1))
        return fn;
    fn = dlsym(RTLD_DEFAULT, e->name);
    atomic_store(&e->fn, fn);
    atomic_store(&e->looked_at, adds + 1);
    return fn;
}

static struct entry disable = {.name = "__lsan_disable"}, enable = {.name = "__lsan_enable"},
                    register_root = {.name = "__lsan_register_root_region"};

static void call(struct entry *e)
{
    void (*fn)(void) = (void (*)(void))entry_point(e);
    if (fn)
        fn();
}

void leaks_not_the_programs_begin(void)
{
    call(&disable);
}

void leaks_not_the_programs_end(void)
{
    call(&enable);
}

void leaks_scan_for_roots(const void *start, size_t size)
{
    void (*fn)(const void *, size_t) = (void (*)(const void *, size_t))entry_point(&register_root);
    if (fn && size)
        fn(start, size);
}
