/* Never rebuilt. Each query ticks mod.c's kept counter once and shows
 * what the versions of mod.c and other.c say, and the addresses that
 * must not move. */
#include "rt.h"

long mod_tick(void);
int mod_value(void);
void *mod_counter_addr(void);

static void answer(const char *tag)
{
    printf("%s value %d\n", tag, mod_value());
    printf("%s count %ld\n", tag, mod_tick());
    printf("%s addr_counter %p\n", tag, mod_counter_addr());
    printf("%s addr_value %p\n", tag, (void *)&mod_value);
}

int main(void)
{
    return serve_queries(answer, NULL);
}
