/* hotld's own threads (the control thread, the watcher, the threads that
 * answer questions). */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "forkgate.h"
#include "leaks.h"
#include "session.h"
#include "pointerscan.h"
#include "stopworld.h"

struct thread_start {
    void *(*fn)(void *);
    void *arg;
    sem_t registered;
};

static void *hotld_thread(void *p)
{
    struct thread_start *ts = p;
    void *(*fn)(void *) = ts->fn, *arg = ts->arg;
    pid_t self = (pid_t)syscall(SYS_gettid);
    forkgate_thread_begin();
    world_exempt(self);
    leaks_not_the_programs_begin(); /* for good: nothing it allocates is the program's */
    pointers_skip_own_stack();
    sem_post(&ts->registered);
    void *result = fn(arg);
    pointers_forget_own_stack();
    world_unexempt(self);
    forkgate_thread_end();
    return result;
}

/* Threads hotld starts must not take the program's signals, and must be
 * exempt from parking before any reload can run. Detached, unless
 * joinable is given. */
static bool start(void *(*fn)(void *), void *arg, pthread_t *joinable)
{
    sigset_t all, old;
    pthread_t t;
    struct thread_start ts = {.fn = fn, .arg = arg};
    sem_init(&ts.registered, 0, 0);
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    bool started = pthread_create(&t, NULL, hotld_thread, &ts) == 0;
    if (started) {
        if (joinable)
            *joinable = t;
        else
            pthread_detach(t);
        forkgate_wait_begin(); /* the new thread may wait for a fork */
        while (sem_wait(&ts.registered) < 0)
            ;
        forkgate_wait_end();
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    sem_destroy(&ts.registered);
    return started;
}

void start_thread(void *(*fn)(void *), void *arg)
{
    start(fn, arg, NULL);
}

bool start_joinable_thread(void *(*fn)(void *), void *arg, pthread_t *t)
{
    return start(fn, arg, t);
}
