/* Never rebuilt. "run" calls mod_run (which reads stdin until "stop"). */
#include "rt.h"

void mod_run(void);

static void answer(const char *tag)
{
    (void)tag;
}

static void other(const char *line)
{
    if (!strcmp(line, "run"))
        mod_run();
}

int main(void)
{
    return serve_queries(answer, other);
}
