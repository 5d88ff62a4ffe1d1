/* A crash in reloaded code, for a core file. PART 1 is main: "boom"
 * calls work(NULL). PART 2 is work(): version 1 checks its pointer,
 * version 2 does not, and crashes. */
#include "rt.h"

#if PART == 1
int work(const int *p);

static void answer(const char *tag)
{
    int one = 1;
    printf("%s work %d\n", tag, work(&one));
}

static void other(const char *line)
{
    if (!strcmp(line, "boom"))
        printf("boom %d\n", work(NULL));
}

int main(void)
{
    return serve_queries(answer, other);
}
#else
RELOADABLE int work(const int *p)
{
#if VER == 1
    if (!p)
        return 0;
#endif
    return *p + opaque_int(VER);
}
#endif
