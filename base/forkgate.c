/* hotld's threads and the program's forks. A child of the program gets a
 * copy of the whole heap and of every lock in it, but only the thread
 * that forked. A lock another thread held at that moment stays held in
 * the child for ever. The program's own threads are the program's
 * business; hotld's are hotld's: its control thread builds images,
 * answers questions and applies reloads while the program runs, and a
 * child's first use of a lock it held then (the allocator's: ASan's does
 * not lock itself around a fork as glibc's malloc does; libelf's,
 * stdio's, one of hotld's own) would hang that child's hotld thread, or
 * the child itself.
 *
 * So a fork waits until each of hotld's threads is at a quiet point,
 * where it holds none: waiting for a connection, an answer, another
 * thread, the program's lock. A thread of hotld's is busy from its start
 * and is quiet only inside forkgate_wait_begin/end. A fork's prepare
 * handler closes the gate (busy threads go on to their next wait, quiet
 * ones stay there) and waits until no thread is busy but the forking one,
 * should it be hotld's (a constructor run by a reload).
 *
 * A busy thread that waited, at a point not marked quiet, for something
 * only the forking thread can give (a library's lock it holds, say)
 * would hang the fork for ever. Past MOST_WAIT_S the fork goes on, as it
 * did before the gate: a child that may hang beats a parent that does. */
#include <errno.h>
#include <stdbool.h>
#include <time.h>

#include "forkgate.h"

#define MOST_WAIT_S 10

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static unsigned busy;           /* hotld's threads not at a quiet point */
static unsigned forks;          /* forks that closed the gate */

static __thread bool hotlds;    /* this thread is one of hotld's */
static __thread unsigned quiet; /* its waits under way (they nest) */

static void enter(void)
{
    pthread_mutex_lock(&lock);
    while (forks)
        pthread_cond_wait(&changed, &lock);
    busy++;
    pthread_mutex_unlock(&lock);
}

static void leave(void)
{
    pthread_mutex_lock(&lock);
    busy--;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

void forkgate_thread_begin(void)
{
    hotlds = true;
    quiet = 0;
    enter();
}

void forkgate_thread_end(void)
{
    leave();
    hotlds = false;
}

void forkgate_wait_begin(void)
{
    if (hotlds && quiet++ == 0)
        leave();
}

void forkgate_wait_end(void)
{
    int saved = errno;
    if (hotlds && --quiet == 0)
        enter();
    errno = saved;
}

void forkgate_lock(pthread_mutex_t *m)
{
    forkgate_wait_begin();
    pthread_mutex_lock(m);
    forkgate_wait_end();
}

int forkgate_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    forkgate_wait_begin();
    int ready = poll(fds, n, timeout_ms);
    forkgate_wait_end();
    return ready;
}

static unsigned busy_here(void)
{
    return hotlds && !quiet;
}

void forkgate_close(void)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += MOST_WAIT_S;
    pthread_mutex_lock(&lock);
    forks++;
    while (busy > busy_here() && pthread_cond_clockwait(&changed, &lock, CLOCK_MONOTONIC, &until) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&lock);
}

void forkgate_open(void)
{
    pthread_mutex_lock(&lock);
    forks--;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

/* The other threads, and whatever they were waiting on, are gone. */
void forkgate_reset_in_child(void)
{
    pthread_mutex_init(&lock, NULL);
    pthread_cond_init(&changed, NULL);
    busy = busy_here();
    forks = 0;
}
