/* For valgrind across a reload. PART 1 is main: each "q TAG" calls
 * work(), which (PART 2) fills a heap block; version 2 writes one byte
 * past it, so memcheck's report names the reloaded code. */
#include "rt.h"

#if PART == 1
int work(void);

static void answer(const char *tag)
{
    printf("%s work %d\n", tag, work());
}

int main(void)
{
    return serve_queries(answer, NULL);
}
#else
RELOADABLE int work(void)
{
    char *p = (char *)malloc(8);
    memset(p, VER, 8 + (VER == 2));
    int v = p[0];
    free(p);
    return v;
}
#endif
