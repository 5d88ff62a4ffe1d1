/* Never rebuilt. "busy MS" makes a worker thread run mod_busy(MS) (old
 * code that uses a variable) and says "busy" once the worker is in it;
 * the worker prints "done N" with the increments it made. "q TAG"
 * answers the version and the variable's count, and how often a thread
 * that sleeps a tenth of a second at a time has woken. */
#include <poll.h>
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

static long ticks;

static void *ticker(void *arg)
{
    for (;;) {
        poll(NULL, 0, 100);
        __atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
    }
    return arg;
}

static void answer(const char *tag)
{
    printf("%s version %d\n%s count %ld\n", tag, mod_version(), tag, mod_count());
    printf("%s ticks %ld\n", tag, __atomic_load_n(&ticks, __ATOMIC_RELAXED));
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
    pthread_t t;
    pthread_create(&t, NULL, ticker, NULL);
    return serve_queries(answer, other);
}
