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

static void call(const char *name)
{
    void (*fn)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, name);
    if (fn)
        fn();
}

void leaks_not_the_programs_begin(void)
{
    call("__lsan_disable");
}

void leaks_not_the_programs_end(void)
{
    call("__lsan_enable");
}

void leaks_scan_for_roots(const void *start, size_t size)
{
    void (*fn)(const void *, size_t) = (void (*)(const void *, size_t))dlsym(RTLD_DEFAULT,
                                                                           "__lsan_register_root_region");
    if (fn && size)
        fn(start, size);
}
