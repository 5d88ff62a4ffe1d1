/* A program that names its own code while it runs, as a logger or crash
 * reporter does: a thread asks dladdr for the name of tick(), an exported
 * function (-rdynamic), over and over; "q" says how often it was
 * answered without one, and what the last answer was. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>

#include "rt.h"

int tick(void);
static atomic_long asked, unnamed;
static const char *last;

static void *ask(void *arg)
{
    (void)arg;
    for (;;) {
        Dl_info info;
        if (!dladdr((void *)tick, &info) || !info.dli_sname)
            atomic_fetch_add(&unnamed, 1);
        else
            last = info.dli_sname;
        atomic_fetch_add(&asked, 1);
    }
    return NULL;
}

static void answer(const char *tag)
{
    long before = atomic_load(&asked);
    while (atomic_load(&asked) < before + 1000) /* the thread goes on */
        ;
    printf("%s unnamed %ld\n", tag, atomic_load(&unnamed));
    printf("%s name %s\n", tag, last ? last : "none");
    printf("%s tick %d\n", tag, tick());
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, ask, NULL);
    return serve_queries(answer, NULL);
}
