/* Calls a function of each of two archive members named part.o. */
#include "rt.h"

int part_a(void);
int part_b(void);

static void answer(const char *tag)
{
    printf("%s parts %d %d\n", tag, part_a(), part_b());
}

int main(void)
{
    return serve_queries(answer, NULL);
}
