/* Is a sanitizer checking or laying out this process's memory? The link
 * heap (linkheap.c) and huge blocks (hugeblock.c) are mappings of
 * hotld's own, which must then not be made. */
#include "sanitized.h"

#include <dlfcn.h>
#include <stdatomic.h>

bool own_mappings_allowed(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return false;
#else
    static atomic_int answer; /* 0: not asked yet, 1: yes, 2: no */
    int a = atomic_load(&answer);
    if (!a) { /* a runtime is loaded first or not at all: the answer stays */
        a = dlsym(RTLD_DEFAULT, "__sanitizer_print_stack_trace") ? 2 : 1;
        atomic_store(&answer, a);
    }
    return a == 1;
#endif
}
