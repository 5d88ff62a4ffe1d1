/* Never rebuilt. cfg points at mod.o's counter and at a message; "change"
 * points the message, and the spare pointer (the counter's address too,
 * at first), elsewhere at run time. "q TAG" answers the message
 * and whether cfg still points at the counter mod.o now uses. */
#include "rt.h"

extern char counter; /* only its address is taken here */
void *mod_counter_address(void);

struct config {
    void *count;
    const char *msg;
    void *spare;
} cfg = {&counter, "initial", &counter};

static void answer(const char *tag)
{
    printf("%s msg %s\n", tag, cfg.msg);
    printf("%s points %d\n", tag, cfg.count == mod_counter_address());
    printf("%s spare-is-own %d\n", tag, cfg.spare == (void *)&cfg);
}

static void other(const char *line)
{
    if (!strcmp(line, "change"))
        cfg.msg = "changed-at-run-time", cfg.spare = &cfg;
}

int main(void)
{
    return serve_queries(answer, other);
}
