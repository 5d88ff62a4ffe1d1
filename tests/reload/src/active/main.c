/* Never rebuilt. "busy MS" makes a worker thread run mod_busy(MS) (old
 * code that uses a variable) and says "busy" once the worker is in it;
 * the worker prints "done N" with the increments it made. "q TAG"
 * answers the version and the variable's count. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include "rt.h"

long mod_busy(int ms);
long mod_count(void);
int mod_version(void);

static void *worker(void *arg)
{
    long n = mod_busy((int)(intptr_t)arg);
    printf("done %ld\n", n);
    return NULL;
}

static void answer(const char *tag)
{
    printf("%s version %d\n%s count %ld\n", tag, mod_version(), tag, mod_count());
}

/* A new thread may not run for a while on a loaded machine; "busy" is
 * said once the count moves, when the worker is surely inside mod_busy. */
static void await_increment(long before)
{
    while (mod_count() == before)
        sched_yield();
}

static void other(const char *line)
{
    pthread_t t;
    long before = mod_count();
    if (!strncmp(line, "busy ", 5) &&
        pthread_create(&t, NULL, worker, (void *)(intptr_t)atoi(line + 5)) == 0) {
        pthread_detach(t);
        await_increment(before);
        puts("busy");
    }
}

int main(void)
{
    return serve_queries(answer, other);
}
