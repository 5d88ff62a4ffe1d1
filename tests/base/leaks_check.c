/* base/leaks.c finds LeakSanitizer's entry points by name, as they are
 * when the check starts (none here), and again once an object that
 * defines them is loaded (a stand-in runtime, lsan_standin.so, whose
 * functions count their calls): hotld calls each entry point then,
 * from every thread, and a registered root region arrives whole.
 * Prints "ok NAME" or "not ok NAME: why" per check. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "leaks.h"

#define SUITE "leaks"
#include "check.h"

static void *from_a_thread(void *arg)
{
    (void)arg;
    leaks_not_the_programs_begin();
    leaks_not_the_programs_end();
    return NULL;
}

static void call_all(const void *root, size_t size)
{
    leaks_not_the_programs_begin();
    leaks_not_the_programs_end();
    leaks_scan_for_roots(root, size);
    pthread_t t;
    if (pthread_create(&t, NULL, from_a_thread, NULL) == 0)
        pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
    static char root[64];
    if (argc < 2)
        return 2;
    call_all(root, sizeof root); /* nothing to call yet: what it found is kept */
    void *standin = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
    check("standin-loads", standin != NULL, dlerror());
    if (!standin)
        return failed;
    const int *disables = dlsym(standin, "disables"), *enables = dlsym(standin, "enables");
    const void *const *region = dlsym(standin, "region");
    const size_t *region_size = dlsym(standin, "region_size");
    call_all(root, sizeof root);
    check("disable-found-after-load", *disables == 2, "__lsan_disable was not called from both threads");
    check("enable-found-after-load", *enables == 2, "__lsan_enable was not called from both threads");
    check("root-region-registered", *region == root && *region_size == sizeof root,
          "__lsan_register_root_region was not given the region");
    call_all(root, sizeof root);
    check("found-once-stays", *disables == 4 && *enables == 4, "a later call missed the entry points");
    return failed;
}
