/* hotld_poll(): a program that calls it gets its reloads, and the calls
 * hotld --call makes, in its own thread at that point. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "forkgate.h"
#include "pointerscan.h"
#include "session.h"
#include "util.h"

/* --reload-timeout from now, for a timed wait. */
static struct timespec reload_timeout_from_now(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += the_session.program.reload_timeout_ms / 1000;
    until.tv_nsec += (the_session.program.reload_timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    return until;
}

/* Work for the program's thread that calls hotld_poll(): a reload, or a
 * call asked for by hotld --call. */
struct pending {
    int (*job)(void *arg, char **report);
    void *arg;
    char *report;
    int rc;
    bool done;
    char error[1024];
    int busy;                   /* busy.c's note until it is picked up */
};

static pthread_mutex_t poll_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t poll_done = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t jobs = PTHREAD_MUTEX_INITIALIZER; /* one at a time */
static struct pending *poll_request;
static bool cooperative;

void hotld_poll_impl(void)
{
    pthread_mutex_lock(&poll_lock);
    cooperative = true;
    struct pending *p = poll_request;
    poll_request = NULL;
    if (p)
        busy_end(p->busy);
    pthread_mutex_unlock(&poll_lock);
    if (!p)
        return;
    clear_error(); /* this thread's: an earlier job's may be there */
    pointers_program_frames_above((uintptr_t)__builtin_frame_address(0));
    int rc = p->job(p->arg, &p->report);
    pointers_program_frames_above(0);
    pthread_mutex_lock(&poll_lock);
    p->rc = rc;
    if (rc < 0)
        snprintf(p->error, sizeof p->error, "%s", last_error());
    p->done = true;
    pthread_cond_broadcast(&poll_done);
    pthread_mutex_unlock(&poll_lock);
}

/* A program that calls hotld_poll() gets its reloads, and calls into it,
 * there: run job in that thread and wait for it. A job the program has
 * not picked up within --reload-timeout is withdrawn; one it has picked
 * up is waited for to the end, however long it takes: it uses the
 * caller's arguments, and its answer is the truth to report. */
static int wait_at_safe_point(int (*job)(void *, char **), void *arg, char **report)
{
    struct pending *p = xcalloc(1, sizeof *p);
    p->job = job;
    p->arg = arg;
    p->busy = busy_begin("waiting for the program to call hotld_poll()");
    forkgate_lock(&poll_lock);
    poll_request = p;
    struct timespec until = reload_timeout_from_now();
    /* quiet while waiting: a fork's child starts these locks anew */
    forkgate_wait_begin();
    while (!p->done && pthread_cond_timedwait(&poll_done, &poll_lock, &until) != ETIMEDOUT)
        ;
    forkgate_wait_end();
    if (!p->done && poll_request == p) {
        poll_request = NULL;
        busy_end(p->busy);
        xfree(p);
        pthread_mutex_unlock(&poll_lock);
        return fail("the program did not call hotld_poll() within %d ms (--reload-timeout)",
                    the_session.program.reload_timeout_ms);
    }
    forkgate_wait_begin();
    while (!p->done)
        pthread_cond_wait(&poll_done, &poll_lock);
    forkgate_wait_end();
    int rc = p->rc;
    *report = p->report;
    if (rc < 0)
        fail("%s", p->error);
    xfree(p);
    pthread_mutex_unlock(&poll_lock);
    return rc;
}

bool is_cooperative(void)
{
    pthread_mutex_lock(&poll_lock);
    bool coop = cooperative;
    pthread_mutex_unlock(&poll_lock);
    return coop;
}

/* One job at a time: the program's thread runs them one after another,
 * and a second waits for the first (a long call, say) up to the same
 * limit. */
static int one_job_at_a_time(pthread_mutex_t *lock)
{
    struct timespec until = reload_timeout_from_now();
    forkgate_wait_begin();
    int rc = pthread_mutex_timedlock(lock, &until);
    forkgate_wait_end();
    if (rc == 0)
        return 0;
    return fail("the program's thread was busy with another request at hotld_poll() (a call, or a reload) "
                "for %d ms (--reload-timeout)", the_session.program.reload_timeout_ms);
}

int at_safe_point(int (*job)(void *, char **), void *arg, char **report)
{
    if (one_job_at_a_time(&jobs) < 0)
        return -1;
    int rc = wait_at_safe_point(job, arg, report);
    pthread_mutex_unlock(&jobs);
    return rc;
}

/* A child of the program has none of the parent's threads: a job they
 * waited with is not its own, and neither is a lock one of them held. */
void poll_forget_jobs(void)
{
    poll_request = NULL;
    poll_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    poll_done = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
    jobs = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
}
