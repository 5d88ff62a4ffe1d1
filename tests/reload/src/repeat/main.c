/* Never rebuilt. Prints its arguments ("args N A|B|..."), then each query
 * ticks the counter once. */
#include "rt.h"

long mod_tick(void);
int mod_version(void);
void *mod_counter_addr(void);
void *mod_tick_addr(void);

static void answer(const char *tag)
{
    printf("%s ver %d\n", tag, mod_version());
    printf("%s count %ld\n", tag, mod_tick());
    printf("%s addr_counter %p\n", tag, mod_counter_addr());
    printf("%s addr_tick %p\n", tag, mod_tick_addr());
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("args %d", argc - 1); /* the program's own arguments */
    for (int i = 1; i < argc; i++)
        printf("%s%s", i == 1 ? " " : "|", argv[i]);
    printf("\n");
    return serve_queries(answer, NULL);
}
