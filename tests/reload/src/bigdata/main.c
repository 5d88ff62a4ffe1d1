/* Never rebuilt. "touch" bumps both ends of mod.o's array; "q TAG"
 * answers mod.o's version and the count at its ends. */
#include "rt.h"

int mod_version(void);
void mod_touch(void);
int mod_touched(void);

static void answer(const char *tag)
{
    printf("%s version %d\n", tag, mod_version());
    printf("%s touched %d\n", tag, mod_touched());
}

static void other(const char *line)
{
    if (!strcmp(line, "touch"))
        mod_touch();
}

int main(void)
{
    return serve_queries(answer, other);
}
