/* Never rebuilt, and first on the command line: its copies of the
 * COMDAT state are the program's. "b" counts, "q TAG" answers. */
#include "counters.h"

static void answer(const char *tag)
{
    int bumped = bump();
    printf("%s state %d %d %d %d\n", tag, counter(), total, Registry<int>::entries, weak_level);
    printf("%s bumped %d\n", tag, bumped);
}

static void command(const char *line)
{
    if (line[0] != 'b')
        return;
    counter() += 1;
    total += 10;
    Registry<int>::entries += 100;
    weak_level += 1000;
}

int main()
{
    return serve_queries(answer, command);
}
