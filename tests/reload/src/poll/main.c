/* Never rebuilt. Uses include/hotld.h: registers a reload callback with a
 * context pointer, calls hotld_poll() about every 20 ms from its main loop
 * (a point of its choice), and reports hotld_generation(). The same source
 * is also linked normally (without hotld), where all of it is a no-op. */
#include <hotld.h>
#define RT_POLLING
#include "rt.h"

int mod_version(void);

#define MAGIC 0x5eed
struct reload_ctx {
    int magic;
    int calls;                  /* callback runs with the right context */
    int wrong_ctx;              /* callback runs with another context */
    unsigned gen_seen[16];      /* hotld_generation() inside each run */
};
static struct reload_ctx ctx = {MAGIC, 0, 0, {0}};

static void on_reload(void *p)
{
    struct reload_ctx *c = p;
    int n;
    if (c != &ctx || c->magic != MAGIC) {
        __atomic_add_fetch(&ctx.wrong_ctx, 1, __ATOMIC_SEQ_CST);
        return;
    }
    n = __atomic_load_n(&c->calls, __ATOMIC_SEQ_CST);
    if (n < 16)
        c->gen_seen[n] = hotld_generation();
    __atomic_store_n(&c->calls, n + 1, __ATOMIC_SEQ_CST);
}

static void report(const char *tag)
{
    int i, n = __atomic_load_n(&ctx.calls, __ATOMIC_SEQ_CST);
    printf("%s gen %u\n", tag, hotld_generation());
    printf("%s calls %d\n", tag, n);
    printf("%s wrong_ctx %d\n", tag, __atomic_load_n(&ctx.wrong_ctx, __ATOMIC_SEQ_CST));
    printf("%s ver %d\n", tag, mod_version());
    printf("%s gen_seen", tag);
    for (i = 0; i < n && i < 16; i++)
        printf(" %u", ctx.gen_seen[i]);
    printf("\n");
}

int main(void)
{
    hotld_on_reload(on_reload, &ctx);
    return serve_queries_polling(report, NULL, hotld_poll);
}
