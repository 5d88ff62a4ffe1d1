/* Never rebuilt. Keeps the addresses of mod.o's two static 'helper'
 * functions, as a program keeps callbacks; "q TAG" calls them. */
#include "rt.h"

int (*a_helper(void))(void);
int (*b_helper(void))(void);
static int (*saved_a)(void), (*saved_b)(void);

static void answer(const char *tag)
{
    printf("%s a %d\n", tag, saved_a());
    printf("%s b %d\n", tag, saved_b());
}

int main(void)
{
    saved_a = a_helper();
    saved_b = b_helper();
    return serve_queries(answer, NULL);
}
