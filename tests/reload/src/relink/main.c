/* Three objects; the test rebuilds a.o and b.o, never main.o. */
#include "rt.h"

int a_value(void);
int b_value(void);

static void answer(const char *tag)
{
    printf("%s a %d\n", tag, a_value());
    printf("%s b %d\n", tag, b_value());
}

int main(void)
{
    return serve_queries(answer, NULL);
}
