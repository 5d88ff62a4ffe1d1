/* A program whose counter.o loses its global variable `hits` in a
 * reload, while a thread still loops in the old version's spin() and
 * counts there. main.o refers to `hits` weakly: after the removal it is
 * gone (-1), as in the program linked without it. Built with -DNO_WEAK,
 * main.o does not refer to it (-2). "q" answers with what tick() returns
 * and `hits`. */
#include <pthread.h>
#include <stdatomic.h>

#include "rt.h"

#ifndef NO_WEAK
extern volatile int hits __attribute__((weak));
#endif
int tick(void);
void *spin(void *);
atomic_long spun; /* the loop's rounds, wherever its code is */

/* Not inlined: main's loop would keep &hits in a register, as a frame
 * holding a pointer to the variable. */
static RELOADABLE int weak_hits(void)
{
#ifdef NO_WEAK
    return -2;
#else
    return &hits ? hits : -1;
#endif
}

static void answer(const char *tag)
{
    long before = atomic_load(&spun);
    while (atomic_load(&spun) < before + 3) /* the loop goes on */
        ;
    printf("%s tick %d\n", tag, tick());
    printf("%s hits %d\n", tag, weak_hits());
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL);
    return serve_queries(answer, NULL);
}
