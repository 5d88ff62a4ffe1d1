/* Never rebuilt. Worker threads call mod_tick() (in the reloaded mod.c) in
 * a loop; each tick adds one to the calling thread's thread-local counters
 * there and reports that thread's copies, which the thread stores, so
 * that a query shows every thread's copy (and the main thread's own).
 * "spawn" starts one more worker (to see a thread created after a reload
 * get initialized copies); "pause"/"resume" stop and restart the ticking,
 * so that the counters can be compared exactly. */
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include "rt.h"

#define MAXW 4
#define NSTATE 6

void mod_tick(long out[NSTATE], int n);

static long snap[MAXW][NSTATE];
static int nworkers, paused, parked[MAXW];

static void nap(void)
{
    struct timespec ts = {0, 200000};
    nanosleep(&ts, NULL);
}

static void *worker(void *arg)
{
    int i = (int)(intptr_t)arg;
    for (;;) {
        if (__atomic_load_n(&paused, __ATOMIC_SEQ_CST)) {
            __atomic_store_n(&parked[i], 1, __ATOMIC_SEQ_CST);
            nap();
            continue;
        }
        __atomic_store_n(&parked[i], 0, __ATOMIC_SEQ_CST);
        long s[NSTATE];
        mod_tick(s, 1);
        for (int k = 0; k < NSTATE; k++)
            __atomic_store_n(&snap[i][k], s[k], __ATOMIC_SEQ_CST);
        nap();
    }
    return NULL;
}

static void spawn(void)
{
    pthread_t t;
    int i = nworkers;
    if (i == MAXW || pthread_create(&t, NULL, worker, (void *)(intptr_t)i))
        return;
    nworkers++;
    while (!__atomic_load_n(&snap[i][0], __ATOMIC_SEQ_CST))
        nap();
}

static void wait_parked(void)
{
    for (int i = 0; i < nworkers; i++)
        while (!__atomic_load_n(&parked[i], __ATOMIC_SEQ_CST))
            nap();
}

static void answer(const char *tag)
{
    long s[NSTATE];
    mod_tick(s, 0);
    printf("%s main %ld %ld %ld %ld %ld %ld\n", tag, s[0], s[1], s[2], s[3], s[4], s[5]);
    for (int i = 0; i < nworkers; i++)
        printf("%s worker%d %ld %ld %ld %ld %ld %ld\n", tag, i, snap[i][0], snap[i][1], snap[i][2],
               snap[i][3], snap[i][4], snap[i][5]);
}

static void other(const char *line)
{
    if (!strcmp(line, "spawn"))
        spawn();
    else if (!strcmp(line, "pause")) {
        __atomic_store_n(&paused, 1, __ATOMIC_SEQ_CST);
        wait_parked();
        puts("paused");
    } else if (!strcmp(line, "resume"))
        __atomic_store_n(&paused, 0, __ATOMIC_SEQ_CST);
}

int main(void)
{
    spawn();
    spawn();
    return serve_queries(answer, other);
}
