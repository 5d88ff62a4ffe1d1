/* A program that is asked about while it runs: it answers "q TAG" with
 * its counter (bumped by every command) and the list it holds, so a test
 * sees that it went on and that its state did not change. */
#include <pthread.h>
#include "rt.h"
#include "data.h"

void loop_at_entry(void);
static int commands;

static void *looper(void *arg)
{
    loop_at_entry();
    return arg;
}

static void answer(const char *tag)
{
    commands++;
    printf("%s state %d %d %d %d %d\n", tag, head->v, head->next->v, ring[2].next->v, chained, mach.self == &mach);
    printf("%s commands %d\n", tag, commands);
}

static void other(const char *line)
{
    pthread_t t;
    commands++;
    if (!strcmp(line, "loop"))
        pthread_create(&t, NULL, looper, NULL);
}

int main(void)
{
    return serve_queries(answer, other);
}
