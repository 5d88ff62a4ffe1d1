/* Never rebuilt. "step" runs one update of mod.o under hotld_protect()
 * and says what it returned; "raw" runs it bare; "own" crashes in this
 * object (code no reload brought) under hotld_protect(). "q TAG" answers
 * the state, and mod.o's version and count of updates. */
#include <hotld.h>
#include "rt.h"

int update(int *state);
int mod_version(void);
int mod_calls(void);

static int state;

static void step(void *ctx)
{
    update(ctx);
}

RELOADABLE static void own_crash(void *ctx)
{
    (void)ctx;
    volatile int *p = 0;
    *p = 1;
}

static void answer(const char *tag)
{
    printf("%s state %d\n", tag, state);
    printf("%s version %d\n", tag, mod_version());
    printf("%s calls %d\n", tag, mod_calls());
}

static void other(const char *line)
{
    if (!strcmp(line, "step"))
        printf("step returned %d\n", hotld_protect(step, &state));
    else if (!strcmp(line, "raw"))
        step(&state);
    else if (!strcmp(line, "own"))
        printf("own returned %d\n", hotld_protect(own_crash, NULL));
}

int main(void)
{
    return serve_queries(answer, other);
}
