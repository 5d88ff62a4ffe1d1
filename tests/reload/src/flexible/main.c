#include "flex.h"
#include "rt.h"

struct buffer *buffer_new(void);
long buffer_used(const struct buffer *b);

static struct buffer *b;

static void answer(const char *tag)
{
    printf("%s used %ld\n", tag, buffer_used(b));
}

int main(void)
{
    b = buffer_new();
    return serve_queries(answer, NULL);
}
