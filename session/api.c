/* The program's own calls into hotld (include/hotld.h): the symbols a
 * link binds __hotld_* to, and the reload hooks the program registers. */
#include "introspect.h"
#include "session.h"
#include "util.h"

struct callback {
    void (*fn)(void *);
    void *ctx;
};

static struct callback callbacks[32];
static size_t ncallbacks;

void run_callbacks(void)
{
    for (size_t i = 0; i < ncallbacks; i++)
        callbacks[i].fn(callbacks[i].ctx);
}

static void hotld_on_reload_impl(void (*fn)(void *), void *ctx)
{
    if (fn && ncallbacks < ARRAY_SIZE(callbacks))
        callbacks[ncallbacks++] = (struct callback){fn, ctx};
}

static unsigned hotld_generation_impl(void)
{
    return the_session.program.generation;
}

void define_host_symbols(struct program *pg)
{
    strmap_slot(&pg->host, "__hotld_poll")->value = (void *)hotld_poll_impl;
    strmap_slot(&pg->host, "__hotld_on_reload")->value = (void *)hotld_on_reload_impl;
    strmap_slot(&pg->host, "__hotld_generation")->value = (void *)hotld_generation_impl;
    introspect_define(pg);
}
