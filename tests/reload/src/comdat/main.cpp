/* Never rebuilt. Holds the inline function's address taken at start, and
 * answers "q TAG" with a_value(), b_value(), a call through that
 * address, and first_weak(). */
#include "rt.h"

int a_value();
int b_value();
int first_weak();
typedef int step_fn();
step_fn *step_address();

static step_fn *taken;

static void answer(const char *tag)
{
    printf("%s a %d\n", tag, a_value());
    printf("%s b %d\n", tag, b_value());
    printf("%s taken %d\n", tag, taken());
    printf("%s weak %d\n", tag, first_weak());
}

int main()
{
    taken = step_address();
    return serve_queries(answer, NULL);
}
