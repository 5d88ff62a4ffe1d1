/* A program that is asked about while it runs: it answers "q TAG" with
 * its counter (bumped by every command) and the list it holds, so a test
 * sees that it went on and that its state did not change. */
#include "rt.h"
#include "data.h"

static int commands;

static void answer(const char *tag)
{
    commands++;
    printf("%s state %d %d %d %d %d\n", tag, head->v, head->next->v, ring[2].next->v, chained, mach.self == &mach);
    printf("%s commands %d\n", tag, commands);
}

static void other(const char *line)
{
    (void)line;
    commands++;
}

int main(void)
{
    return serve_queries(answer, other);
}
