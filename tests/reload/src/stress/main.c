/* Never rebuilt. Eight threads call mod_step() (in the reloaded mod.c) in
 * a loop, counting their own calls here; mod.c counts them too, in kept
 * state. "stop" ends the threads; "q TAG" then tells whether the counts
 * agree exactly (no update lost across the reloads), and the process's
 * resident memory. */
#include <pthread.h>
#include <stdint.h>
#include "rt.h"

#define NT 8

int mod_step(int thread);
long mod_total(void);
long mod_count_of(int thread);

static long calls[NT];
static int stopping, versions_seen;

static void *worker(void *arg)
{
    int i = (int)(intptr_t)arg;
    while (!__atomic_load_n(&stopping, __ATOMIC_RELAXED)) {
        int v = mod_step(i);
        __atomic_or_fetch(&versions_seen, 1 << v, __ATOMIC_RELAXED);
        __atomic_add_fetch(&calls[i], 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static long rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kib = atol(line + 6);
    if (f)
        fclose(f);
    return kib;
}

static pthread_t threads[NT];

static void answer(const char *tag)
{
    long sum = 0;
    int exact = 1;
    for (int i = 0; i < NT; i++) {
        long c = __atomic_load_n(&calls[i], __ATOMIC_RELAXED);
        sum += c;
        exact &= c == mod_count_of(i);
    }
    printf("%s calls %ld\n%s total %ld\n%s exact %d\n%s rss %ld\n%s versions %d\n", tag, sum, tag,
           mod_total(), tag, exact && sum == mod_total(), tag, rss_kib(), tag, versions_seen);
}

static void other(const char *line)
{
    if (strcmp(line, "stop"))
        return;
    __atomic_store_n(&stopping, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < NT; i++)
        pthread_join(threads[i], NULL);
    puts("stopped");
}

int main(void)
{
    for (int i = 0; i < NT; i++)
        pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i);
    return serve_queries(answer, other);
}
