/* Never rebuilt. "hit" bumps the tally; "q TAG" answers its value. */
#include "rt.h"

void hit();
int tally_value();

static void answer(const char *tag)
{
    printf("%s tally %d\n", tag, tally_value());
}

static void other(const char *line)
{
    if (!strcmp(line, "hit"))
        hit();
}

int main()
{
    return serve_queries(answer, other);
}
