/* Never rebuilt. Each query ticks mod.o's counter once. */
#include "rt.h"

long mod_tick(void);
int mod_version(void);
void *mod_counter_addr(void);
int other_version(void);

static void answer(const char *tag)
{
    printf("%s mod %d\n", tag, mod_version());
    printf("%s other %d\n", tag, other_version());
    printf("%s count %ld\n", tag, mod_tick());
    printf("%s addr_counter %p\n", tag, mod_counter_addr());
}

int main(void)
{
    return serve_queries(answer, NULL);
}
