/* Never rebuilt. Four worker threads call mod_work() in a tight loop and
 * record the version each call returned. "block" starts a thread that
 * blocks every signal (so it can never be parked for a reload) and sleeps
 * until "unblock" lets it restore its signal mask. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include "rt.h"

#define NWORKERS 4

int mod_work(void);
long mod_call_count(void);

static int last[NWORKERS];
static long iters[NWORKERS];
static int blocker_state;       /* 0 none, 1 blocking, 2 unblocked */
static int unblock_requested;

static void *worker(void *arg)
{
    int i = (int)(intptr_t)arg;
    for (;;) {
        int v = mod_work();
        __atomic_store_n(&last[i], v, __ATOMIC_RELAXED);
        __atomic_add_fetch(&iters[i], 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void nap(void)
{
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
}

static void *blocker(void *arg)
{
    sigset_t all, old;
    (void)arg;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    __atomic_store_n(&blocker_state, 1, __ATOMIC_SEQ_CST);
    while (!__atomic_load_n(&unblock_requested, __ATOMIC_SEQ_CST))
        nap();
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    __atomic_store_n(&blocker_state, 2, __ATOMIC_SEQ_CST);
    for (;;)
        nap();
    return NULL;
}

int main(void)
{
    char line[256];
    const char *tag;
    pthread_t t;
    int i;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (i = 0; i < NWORKERS; i++) {
        if (pthread_create(&t, NULL, worker, (void *)(intptr_t)i)) {
            puts("pthread_create failed");
            return 1;
        }
    }
    /* Ready once every worker has called mod_work at least once. */
    for (i = 0; i < NWORKERS; i++)
        while (!__atomic_load_n(&iters[i], __ATOMIC_RELAXED))
            nap();
    puts("ready");
    while (next_command(line, sizeof line)) {
        if ((tag = query_tag(line))) {
            for (i = 0; i < NWORKERS; i++)
                printf("%s thread%d %d %ld\n", tag, i,
                       __atomic_load_n(&last[i], __ATOMIC_RELAXED),
                       __atomic_load_n(&iters[i], __ATOMIC_RELAXED));
            printf("%s calls %ld\n", tag, mod_call_count());
            printf("%s end\n", tag);
        } else if (!strcmp(line, "block")) {
            if (pthread_create(&t, NULL, blocker, NULL)) {
                puts("pthread_create failed");
                return 1;
            }
            while (__atomic_load_n(&blocker_state, __ATOMIC_SEQ_CST) != 1)
                nap();
            puts("blocked");
        } else if (!strcmp(line, "unblock")) {
            __atomic_store_n(&unblock_requested, 1, __ATOMIC_SEQ_CST);
            while (__atomic_load_n(&blocker_state, __ATOMIC_SEQ_CST) != 2)
                nap();
            puts("unblocked");
        } else if (!strcmp(line, "quit")) {
            break;
        }
    }
    return 0;
}
