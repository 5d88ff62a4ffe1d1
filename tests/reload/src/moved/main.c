/* "q" answers with what tick() returns: a count, in `hits`, which later
 * versions define in another object. */
#include "rt.h"

int tick(void);

static void answer(const char *tag)
{
    printf("%s tick %d\n", tag, tick());
}

int main(void)
{
    return serve_queries(answer, NULL);
}
