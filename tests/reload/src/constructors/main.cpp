/* Never rebuilt. "g" grows the name; "q TAG" answers with the name, how
 * many times name.cpp's constructor ran, what extra.cpp (if linked) says,
 * and what cache.cpp's cached() gives. */
#include "rt.h"

void grow();
const char *name();
int constructor_runs();
int cached(int key);
extern "C" __attribute__((weak)) const char *extra();

static void answer(const char *tag)
{
    printf("%s name %s\n", tag, name());
    printf("%s runs %d\n", tag, constructor_runs());
    printf("%s extra %s\n", tag, extra ? extra() : "none");
    printf("%s cached %d\n", tag, cached(5));
}

static void command(const char *line)
{
    if (line[0] == 'g')
        grow();
}

int main()
{
    return serve_queries(answer, command);
}
