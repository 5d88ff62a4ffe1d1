/* Never rebuilt, and blind to the class: a square made at start lives on
 * the heap across the reloads; "q TAG" describes it and a square made
 * now. */
#include "rt.h"

struct Shape;
Shape *make_square(int s);
void destroy(Shape *s);
int describe(Shape *s);

static Shape *early;

static void answer(const char *tag)
{
    Shape *now = make_square(2);
    printf("%s early %d\n", tag, describe(early));
    printf("%s now %d\n", tag, describe(now));
    destroy(now);
}

int main()
{
    early = make_square(3);
    return serve_queries(answer, NULL);
}
