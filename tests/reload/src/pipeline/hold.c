/* LD_PRELOAD'ed into hotld: after the first thread hotld starts (the
 * control thread, whose socket is then listening), the starting thread
 * writes $HOLD_DIR/held and waits until $HOLD_DIR/go exists (10 s at
 * most). It holds a session at the moment another command may already
 * talk to it, before the program runs: no sleeps, no races. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef int create_fn(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static void mark_and_wait(const char *dir)
{
    char held[4096], go[4096];
    snprintf(held, sizeof held, "%s/held", dir);
    snprintf(go, sizeof go, "%s/go", dir);
    FILE *f = fopen(held, "w");
    if (f)
        fclose(f);
    for (int i = 0; i < 1000 && access(go, F_OK) != 0; i++)
        usleep(10000);
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static int created;
    create_fn *real = (create_fn *)dlsym(RTLD_NEXT, "pthread_create");
    int rc = real(t, attr, fn, arg);
    const char *dir = getenv("HOLD_DIR");
    if (rc == 0 && created++ == 0 && dir)
        mark_and_wait(dir);
    return rc;
}
