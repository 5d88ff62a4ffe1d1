/* Four threads call mod_step() in a loop. "check" tells whether each one
 * still makes calls, and which version answers now. */
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>
#include "rt.h"

#define NT 4

int mod_step(int thread);

static long calls[NT];

static void *worker(void *arg)
{
    int i = (int)(intptr_t)arg;
    for (;;) {
        mod_step(i);
        __atomic_add_fetch(&calls[i], 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void answer(const char *tag)
{
    long before[NT];
    int alive = 0;
    for (int i = 0; i < NT; i++)
        before[i] = __atomic_load_n(&calls[i], __ATOMIC_RELAXED);
    usleep(200 * 1000);
    for (int i = 0; i < NT; i++)
        alive += __atomic_load_n(&calls[i], __ATOMIC_RELAXED) > before[i];
    printf("%s alive %d\n%s version %d\n", tag, alive, tag, mod_step(0));
}

int main(void)
{
    pthread_t t;
    for (int i = 0; i < NT; i++)
        pthread_create(&t, NULL, worker, (void *)(intptr_t)i);
    return serve_queries(answer, NULL);
}
