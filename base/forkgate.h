/* A fork of the program waits until hotld's own threads are at a quiet
 * point (forkgate.c). */
#ifndef HOTLD_FORKGATE_H
#define HOTLD_FORKGATE_H

#include <poll.h>
#include <pthread.h>

/* The calling thread is one of hotld's from now on, until thread_end;
 * it is busy, and a fork waits for it, except around its waits. */
void forkgate_thread_begin(void);
void forkgate_thread_end(void);

/* Around a wait of one of hotld's threads: for a connection, an answer,
 * another thread, a lock. It must hold no lock a child could need (the
 * allocator's, a library's, one of hotld's own). No-ops in the
 * program's threads. They nest, and keep errno. */
void forkgate_wait_begin(void);
void forkgate_wait_end(void);

/* pthread_mutex_lock and poll as waits. */
void forkgate_lock(pthread_mutex_t *m);
int forkgate_poll(struct pollfd *fds, nfds_t n, int timeout_ms);

/* The fork's own steps (children.c): close waits until every one of
 * hotld's threads but the forking one is at a quiet point, and keeps
 * them there; open lets them on in the parent; reset, in the child,
 * where only the forking thread runs. */
void forkgate_close(void);
void forkgate_open(void);
void forkgate_reset_in_child(void);

#endif
