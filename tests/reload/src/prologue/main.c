/* Never rebuilt. "enter" makes a thread call run(wait_here): it waits in
 * wait_here, called from run's first bytes, until "leave"; it then prints
 * what run returned ("left N"). "q TAG" answers "TAG run N" with what a
 * new call of run returns. */
#include <pthread.h>
#include <unistd.h>

#include "rt.h"

int run(void (*g)(void));

static int leaving;

static void wait_here(void)
{
    puts("entered");
    while (!__atomic_load_n(&leaving, __ATOMIC_SEQ_CST))
        usleep(1000);
}

static void *caller(void *arg)
{
    (void)arg;
    printf("left %d\n", run(wait_here));
    return NULL;
}

static void nothing(void)
{
}

static void answer(const char *tag)
{
    printf("%s run %d\n", tag, run(nothing));
}

static void other(const char *line)
{
    pthread_t t;
    if (!strcmp(line, "enter"))
        pthread_create(&t, NULL, caller, NULL);
    else if (!strcmp(line, "leave"))
        __atomic_store_n(&leaving, 1, __ATOMIC_SEQ_CST);
}

int main(void)
{
    return serve_queries(answer, other);
}
