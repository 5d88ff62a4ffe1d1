/* A thread-local-heavy loop for bench/tls.sh: two threads (one per core
 * here) each update their own counters (an extern variable of the other
 * file, a file static and a function static) through a non-inlined
 * function, and report the loop's time in ns per iteration. Built -fPIC, every access is a
 * general- or local-dynamic sequence: a __tls_get_addr call unless the
 * linker relaxes it. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

extern __thread long tls_total;             /* tls_other.c */
static __thread long tls_mine = 1;
#define ITERS 40000000L
#define NTHREADS 2

__attribute__((noinline)) long step(long i)
{
    static __thread long calls;
    calls++;
    tls_mine += i & 7;
    tls_total += tls_mine ^ calls;
    return tls_total;
}

static void *worker(void *arg)
{
    long sum = 0;
    for (long i = 0; i < ITERS; i++)
        sum += step(i);
    *(long *)arg = sum;
    return NULL;
}

int main(void)
{
    struct timespec a, b;
    pthread_t t[NTHREADS];
    long sums[NTHREADS];
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, worker, &sums[i]);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
    printf("%.3f ns/iteration, checksum %ld\n", ns / (NTHREADS * (double)ITERS), sums[0]);
    return 0;
}
