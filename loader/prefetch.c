/* A first link reads its command line's files on every core: helper
 * threads open and read them ahead of the linking thread, which checks
 * and adds each in command-line order, as ld does, and reads itself any
 * file no helper has claimed yet. While it would wait for a helper, it
 * reads files from the end of the command line instead: a 1,000-object
 * start waited 6 of its 12 ms of reading, and reads in 9.5 ms so. The
 * first error in command-line order is the one reported, whichever
 * thread met it first.
 *
 * Only the reading moves: checking an object (object_read) allocates
 * little blocks by the thousand, and two threads faulting in fresh heap
 * pages queue on the process's memory map; a 1,000-object start was a
 * third slower with the checks in the helpers, and a tenth faster
 * without them. With the first link's records on huge pages (base/
 * linkheap.c), so that faults no longer queue, it was still a tenth
 * slower (farm-bench, 40 pairs): the records made on one core are then
 * read on the other. A reload reads with the asking command's credentials and
 * mostly stats unchanged files: it reads as before, in order. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "leaks.h"
#include "linker.h"
#include "util.h"

/* Fewer files than this are read as fast by the linking thread alone:
 * on a virtual machine, whose system calls do not go faster two at a
 * time, a 1,000-object start without a helper took 1.09x the time, and
 * starts of 28 to 200 objects 0.96-1.00x (farm-bench, 40-60 pairs). */
#define MIN_FILES 256
#define MAX_HELPERS 7

enum slot_state { SLOT_UNREAD, SLOT_READING, SLOT_READ };

/* One file of the command line, as read. */
struct slot {
    _Atomic int state;
    struct file_data f;
    char *error;                /* read failed: fail()'s text */
};

struct prefetch {
    struct link *ld;
    struct slot *slots;         /* by input index; -l inputs are never claimed */
    size_t nslots;
    atomic_size_t next;         /* the next input a helper may claim */
    size_t tail;                /* the linking thread's: past the last input it may claim */
    atomic_bool stop;           /* the link failed: claim nothing more */
    pthread_mutex_t lock;
    pthread_cond_t done;        /* a slot became SLOT_READ */
    pthread_t helpers[MAX_HELPERS];
    size_t nhelpers;
};

static void read_slot(struct prefetch *p, size_t i)
{
    struct slot *s = &p->slots[i];
    const char *path = p->ld->opts->inputs[i].arg;
    clear_error();
    if (link_read_file(p->ld, path, false, &s->f) < 0)
        s->error = xstrdup(last_error());
    clear_error(); /* the slot's error, reported in input order */
    pthread_mutex_lock(&p->lock);
    atomic_store(&s->state, SLOT_READ);
    pthread_cond_broadcast(&p->done);
    pthread_mutex_unlock(&p->lock);
}

/* Read file i if no thread has claimed it yet. */
static bool claim_and_read(struct prefetch *p, size_t i)
{
    int unread = SLOT_UNREAD;
    if (!atomic_compare_exchange_strong(&p->slots[i].state, &unread, SLOT_READING))
        return false;
    read_slot(p, i);
    return true;
}

/* Claim the next unread file and read it; false when none is left. */
static bool read_next(struct prefetch *p)
{
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->nslots || atomic_load(&p->stop))
            return false;
        if (claim_and_read(p, i))
            return true;
    }
}

static void *helper(void *arg)
{
    leaks_not_the_programs_begin(); /* the link's records are hotld's */
    while (read_next(arg))
        ;
    return NULL;
}

static size_t helpers_wanted(const struct link_options *o)
{
    size_t files = 0;
    for (size_t i = 0; i < o->ninputs; i++)
        files += !o->inputs[i].is_lib;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (files < MIN_FILES || cores < 2)
        return 0;
    return (size_t)(cores - 1 < MAX_HELPERS ? cores - 1 : MAX_HELPERS);
}

/* Helpers take no signal: they run no program code, and a program's
 * handler must not find itself on one. */
static void start_helpers(struct prefetch *p, size_t n)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    while (p->nhelpers < n && pthread_create(&p->helpers[p->nhelpers], NULL, helper, p) == 0)
        p->nhelpers++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

struct prefetch *prefetch_start(struct link *ld)
{
    const struct link_options *o = ld->opts;
    size_t helpers = o->hooks || o->override || o->open_file ? 0 : helpers_wanted(o);
    if (!helpers)
        return NULL;
    struct prefetch *p = xcalloc(1, sizeof *p);
    p->ld = ld;
    p->nslots = p->tail = o->ninputs;
    p->slots = xcalloc(p->nslots ? p->nslots : 1, sizeof *p->slots);
    for (size_t i = 0; i < p->nslots; i++)
        if (o->inputs[i].is_lib)
            atomic_store(&p->slots[i].state, SLOT_READING); /* never claimed */
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->done, NULL);
    start_helpers(p, helpers);
    return p;
}

/* A helper reads a file in tens of microseconds, and a thread that
 * sleeps on the condition is woken up later than that on a virtual
 * machine: the linking thread first watches the slot this long. A
 * 1,000-object start took 0.9x the time (farm-bench, 60 pairs; 200 us
 * did no better). */
#define SPIN_US 50

static bool read_soon(const struct slot *s)
{
    double until = now_ms() + SPIN_US / 1000.0;
    for (unsigned spin = 0;; spin++) {
        if (atomic_load(&s->state) == SLOT_READ)
            return true;
        if (spin % 64 == 63 && now_ms() > until)
            return false;
        __builtin_ia32_pause();
    }
}

/* While a helper reads input i, the linking thread reads the last input
 * no thread has claimed, which it will need last: waiting would leave
 * its core idle. False when every input after i is claimed. */
static bool read_from_tail(struct prefetch *p, size_t i)
{
    while (p->tail > i + 1)
        if (claim_and_read(p, --p->tail))
            return true;
    return false;
}

/* Input i, read by whichever thread claimed it, added to the link. */
int prefetch_add(struct prefetch *p, size_t i)
{
    struct slot *s = &p->slots[i];
    bool claimed = claim_and_read(p, i);
    while (!claimed && atomic_load(&s->state) != SLOT_READ && read_from_tail(p, i))
        ;
    if (!claimed && !read_soon(s)) {
        pthread_mutex_lock(&p->lock);
        while (atomic_load(&s->state) != SLOT_READ)
            pthread_cond_wait(&p->done, &p->lock);
        pthread_mutex_unlock(&p->lock);
    }
    if (s->error) {
        fail("%s", s->error);
        xfree(s->error);
        s->error = NULL;
        return -1;
    }
    struct file_data f = s->f;
    s->f = (struct file_data){0};
    return link_add_file(p->ld, p->ld->opts->inputs[i].arg, f, false);
}

/* Wait for the helpers, and free what the link did not take (it failed
 * before it reached them). */
void prefetch_end(struct prefetch *p)
{
    if (!p)
        return;
    atomic_store(&p->stop, true);
    for (size_t i = 0; i < p->nhelpers; i++)
        pthread_join(p->helpers[i], NULL);
    for (size_t i = 0; i < p->nslots; i++) {
        struct slot *s = &p->slots[i];
        file_release(&s->f);
        xfree(s->error);
    }
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    xfree(p->slots);
    xfree(p);
}
