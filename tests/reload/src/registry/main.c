/* Never rebuilt. "q TAG" answers the registry: its size, as main.o and
 * mod.o see it, and each command's name and result. */
#include "rt.h"
#include "registry.h"

int mod_count(void);

static int run_main(void)
{
    return 0;
}
COMMAND(main, "main", run_main);

static void answer(const char *tag)
{
    printf("%s count %d %d\n", tag, (int)(__stop_cmds - __start_cmds), mod_count());
    printf("%s cmds", tag);
    for (const struct cmd *c = __start_cmds; c < __stop_cmds; c++)
        printf(" %s=%d", c->name, c->run());
    printf("\n");
}

int main(void)
{
    return serve_queries(answer, NULL);
}
