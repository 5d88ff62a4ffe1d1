/* A program that rewrites its own argv, as nginx's, PostgreSQL's and
 * sendmail's process titles do: argv[1] becomes NULL and the title is
 * written over argv[0]'s bytes. The same hotld command, run again, must
 * still be a reload of it. */
#include <string.h>

#include "rt.h"

int version(void);

static void answer(const char *tag)
{
    printf("%s version %d\n", tag, version());
}

int main(int argc, char **argv)
{
    if (argc > 1)
        argv[1] = NULL;
    memset(argv[0], 0, strlen(argv[0]));
    memcpy(argv[0], "t:", 2);
    return serve_queries(answer, NULL);
}
