/* Never rebuilt. Four worker threads call mod_work() in a tight loop and
 * record the version each call returned. Two more block every signal, as
 * library threads often do, so that no signal can park them: "block"
 * starts the sleeper, which calls mod_work() and sleeps a millisecond in
 * turn; "spin" starts the spinner, which calls it without pause until
 * "unspin" makes it sleep between calls as the sleeper does. "doze" starts
 * NDOZERS more, which nap only microseconds between calls: they are asleep
 * when a reload looks at them, and wake while it is committed; "undoze"
 * ends them. */
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdint.h>
#include <time.h>
#include "rt.h"

#define NWORKERS 4
#define NDOZERS 4

int mod_work(void);
long mod_call_count(void);

static int last[NWORKERS];
static long iters[NWORKERS];
static int sleeper_version, spinner_version; /* 0: not started */
static int dozer_version[NDOZERS];
static int dozing;
static int spinning;

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

static void block_all_signals(void)
{
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, NULL);
}

static void *sleeper(void *arg)
{
    (void)arg;
    block_all_signals();
    for (;;) {
        __atomic_store_n(&sleeper_version, mod_work(), __ATOMIC_SEQ_CST);
        nap();
    }
    return NULL;
}

static void *spinner(void *arg)
{
    (void)arg;
    block_all_signals();
    for (;;) {
        __atomic_store_n(&spinner_version, mod_work(), __ATOMIC_SEQ_CST);
        if (!__atomic_load_n(&spinning, __ATOMIC_SEQ_CST))
            nap();
    }
    return NULL;
}

static void *dozer(void *arg)
{
    int i = (int)(intptr_t)arg;
    struct timespec ts = {0, 20000};
    block_all_signals();
    prctl(PR_SET_TIMERSLACK, 1UL); /* wake after 20 us, not the default 70 */
    while (__atomic_load_n(&dozing, __ATOMIC_SEQ_CST)) {
        __atomic_store_n(&dozer_version[i], mod_work(), __ATOMIC_SEQ_CST);
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static pthread_t dozers[NDOZERS];

static void start_dozers(void)
{
    __atomic_store_n(&dozing, 1, __ATOMIC_SEQ_CST);
    for (int i = 0; i < NDOZERS; i++) {
        if (pthread_create(&dozers[i], NULL, dozer, (void *)(intptr_t)i)) {
            puts("pthread_create failed");
            exit(1);
        }
        while (!__atomic_load_n(&dozer_version[i], __ATOMIC_SEQ_CST))
            nap();
    }
    puts("dozing");
}

static void stop_dozers(void)
{
    __atomic_store_n(&dozing, 0, __ATOMIC_SEQ_CST);
    for (int i = 0; i < NDOZERS; i++)
        pthread_join(dozers[i], NULL);
    puts("undozed");
}

/* Start fn in a thread and wait until it has called mod_work(). */
static void start_blocking(void *(*fn)(void *), const int *version, const char *say)
{
    pthread_t t;
    if (pthread_create(&t, NULL, fn, NULL)) {
        puts("pthread_create failed");
        exit(1);
    }
    while (!__atomic_load_n(version, __ATOMIC_SEQ_CST))
        nap();
    puts(say);
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
            printf("%s sleeper %d\n", tag, __atomic_load_n(&sleeper_version, __ATOMIC_SEQ_CST));
            printf("%s spinner %d\n", tag, __atomic_load_n(&spinner_version, __ATOMIC_SEQ_CST));
            for (i = 0; i < NDOZERS; i++)
                printf("%s dozer%d %d\n", tag, i, __atomic_load_n(&dozer_version[i], __ATOMIC_SEQ_CST));
            printf("%s end\n", tag);
        } else if (!strcmp(line, "block")) {
            start_blocking(sleeper, &sleeper_version, "blocked");
        } else if (!strcmp(line, "doze")) {
            start_dozers();
        } else if (!strcmp(line, "undoze")) {
            stop_dozers();
        } else if (!strcmp(line, "spin")) {
            __atomic_store_n(&spinning, 1, __ATOMIC_SEQ_CST);
            start_blocking(spinner, &spinner_version, "spinning");
        } else if (!strcmp(line, "unspin")) {
            __atomic_store_n(&spinning, 0, __ATOMIC_SEQ_CST);
            puts("unspun");
        } else if (!strcmp(line, "quit")) {
            break;
        }
    }
    return 0;
}
