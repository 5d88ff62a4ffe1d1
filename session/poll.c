/* hotld_poll(): a program that calls it gets its reloads, and the calls
 * hotld --call makes, in its own thread at that point. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pointerscan.h"
#include "session.h"
#include "util.h"

/* Work for the program's thread that calls hotld_poll(): a reload, or a
 * call asked for by hotld --call. */
struct pending {
    int (*job)(void *arg, char **report);
    void *arg;
    char *report;
    int rc;
    bool done;
    char error[1024];
};

static pthread_mutex_t poll_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t poll_done = PTHREAD_COND_INITIALIZER;
static struct pending *poll_request;
static bool cooperative;

void hotld_poll_impl(void)
{
    pthread_mutex_lock(&poll_lock);
    cooperative = true;
    struct pending *p = poll_request;
    poll_request = NULL;
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
int at_safe_point(int (*job)(void *, char **), void *arg, char **report)
{
    struct pending *p = xcalloc(1, sizeof *p);
    p->job = job;
    p->arg = arg;
    pthread_mutex_lock(&poll_lock);
    poll_request = p;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += the_session.program.reload_timeout_ms / 1000;
    until.tv_nsec += (the_session.program.reload_timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    while (!p->done && pthread_cond_timedwait(&poll_done, &poll_lock, &until) != ETIMEDOUT)
        ;
    if (!p->done && poll_request == p) {
        poll_request = NULL;
        xfree(p);
        pthread_mutex_unlock(&poll_lock);
        return fail("the program did not call hotld_poll() within %d ms (--reload-timeout)",
                    the_session.program.reload_timeout_ms);
    }
    while (!p->done)
        pthread_cond_wait(&poll_done, &poll_lock);
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
