/* Objects and archive members come and go between reloads: a_value() is in
 * a.o, which uses libx.a's members; extra_value() is a weak reference that
 * an added object c.o defines. */
#include "../rt.h"

int a_value(void);
int extra_value(void) __attribute__((weak));

static void answer(const char *tag)
{
    printf("%s a %d\n", tag, a_value());
    printf("%s extra %d\n", tag, extra_value ? extra_value() : -1);
}

int main(void)
{
    return serve_queries(answer, NULL);
}
