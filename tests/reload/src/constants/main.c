/* Never rebuilt: "q TAG" answers what the program sees of the tables
 * (mod.c) through the pointers it keeps and through their functions. */
#include "rt.h"

struct cfg {
    int speed;
    const char *name;
};

extern const struct cfg *cur, *fixed;
extern const int *level;
const struct cfg *current_defaults(void);
int current_level(void);

static void answer(const char *tag)
{
    printf("%s cur %d %s fixed %d %s level %d | direct %d %s level %d\n", tag, cur->speed, cur->name,
           fixed->speed, fixed->name, *level, current_defaults()->speed, current_defaults()->name,
           current_level());
}

int main(void)
{
    return serve_queries(answer, NULL);
}
