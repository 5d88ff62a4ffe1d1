/* Never rebuilt. "busy MS" makes a worker thread run mod_busy(MS) (old
 * code that uses a variable) and print "done N" with the increments it
 * made; "q TAG" answers the version and the variable's count. */
#include <pthread.h>
#include <stdint.h>
#include "rt.h"

long mod_busy(int ms);
long mod_count(void);
int mod_version(void);

static void *worker(void *arg)
{
    long n = mod_busy((int)(intptr_t)arg);
    printf("done %ld\n", n);
    return NULL;
}

static void answer(const char *tag)
{
    printf("%s version %d\n%s count %ld\n", tag, mod_version(), tag, mod_count());
}

static void other(const char *line)
{
    pthread_t t;
    if (!strncmp(line, "busy ", 5) &&
        pthread_create(&t, NULL, worker, (void *)(intptr_t)atoi(line + 5)) == 0) {
        pthread_detach(t);
        puts("busy");
    }
}

int main(void)
{
    return serve_queries(answer, other);
}
