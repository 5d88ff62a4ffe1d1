/* Locks of hotld's that a thread of hotld may hold when the program
 * forks. The child has only the forking thread: a lock another thread
 * held would stay taken there for ever, and the child's part in the
 * next reload (session/follower.c) would wait on it. Each such lock is
 * registered here and made new in the child, before any other fork
 * handler of hotld's runs there. Only locks whose state is whole
 * between any two instructions of their holder (a flag, one slot
 * written) are made new; the table of hotld's heap blocks, written in
 * several steps, is held across the fork instead (owned.c). */
#include "forksafe.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_LOCKS 32

static pthread_mutex_t *mutexes[MAX_LOCKS];
static atomic_flag *flags[MAX_LOCKS];
static size_t nmutexes, nflags;

static void renew_in_child(void)
{
    for (size_t i = 0; i < nmutexes; i++)
        *mutexes[i] = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    for (size_t i = 0; i < nflags; i++)
        atomic_flag_clear(flags[i]);
}

/* The first registration, in a constructor, before any of the session's
 * fork handlers: child handlers run in the order they were registered. */
static void arm(size_t n)
{
    if (n == MAX_LOCKS) {
        fputs("hotld: error: more locks to renew after fork than forksafe.c holds\n", stderr);
        abort();
    }
    static bool armed;
    if (!armed)
        pthread_atfork(NULL, NULL, renew_in_child);
    armed = true;
}

void forksafe_mutex(pthread_mutex_t *m)
{
    arm(nmutexes);
    mutexes[nmutexes++] = m;
}

void forksafe_flag(atomic_flag *f)
{
    arm(nflags);
    flags[nflags++] = f;
}
