/* Never rebuilt. Looks itself up through hotld.h: "q TAG" answers whether
 * hotld_lookup finds its global, its file static, its thread-local
 * variable (this thread's copy) and mod.o's function where they are, and
 * what hotld_symbols says of mod_value (size, kind, object, version) and
 * how many symbols it lists. Linked without hotld, every answer is the
 * no-op's: NULL and 0. */
#include <hotld.h>
#include "rt.h"

int global_counter = 5;
static int file_static = 7;
__thread int per_thread = 9;
int mod_value(void);

struct found {
    unsigned long size;
    int kind;
    const char *object;
    unsigned version;
    int seen;
};

static int find_mod_value(const struct hotld_symbol *s, void *ctx)
{
    struct found *f = ctx;
    if (strcmp(s->name, "mod_value"))
        return 0;
    *f = (struct found){s->size, s->kind, s->object, s->version, 1};
    return 1;
}

static int count(const struct hotld_symbol *s, void *ctx)
{
    (void)s;
    ++*(int *)ctx;
    return 0;
}

static void answer(const char *tag)
{
    struct found f = {0};
    int n = 0;
    hotld_symbols(find_mod_value, &f);
    int listed = hotld_symbols(count, &n);
    const char *object = f.object ? strrchr(f.object, '/') : NULL;
    printf("%s lookups %d %d %d %d %d\n", tag, hotld_lookup("global_counter") == (void *)&global_counter,
           hotld_lookup("file_static") == (void *)&file_static, hotld_lookup("per_thread") == (void *)&per_thread,
           hotld_lookup("mod_value") == (void *)mod_value, hotld_lookup("no_such_symbol") == NULL);
    printf("%s mod_value %d %lu %d %s %u\n", tag, f.seen, f.size > 0 ? 1ul : 0ul, f.kind,
           object ? object + 1 : "-", f.version);
    printf("%s listed %d %d\n", tag, listed > 5, listed == n);
    printf("%s value %d\n", tag, mod_value() + file_static * 0);
}

int main(void)
{
    return serve_queries(answer, NULL);
}
