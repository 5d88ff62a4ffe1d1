/* Built -fPIC: the query loop's references to stdin and stdout go
 * through the GOT, so it can sit below 2 GiB with the -fno-pie code (gcc's
 * PIE code reaches libc's data directly, expecting copies beside it). keep.c and other.c are built -fno-pie: their 32-bit
 * absolute references to puts make puts's stub the function's address,
 * as ld makes the PLT entry. Every address of puts, taken before or
 * after a reload, by -fno-pie or PIE code, must be the same. */
#include "rt.h"

extern int (*keep_data)(const char *);
int (*keep_get(void))(const char *);
int (*other_get(void))(const char *);
int (*pie_get(void))(const char *);
int other_version(void);
int pie_version(void);

static void answer(const char *tag)
{
    static int (*first)(const char *);
    int (*here)(const char *) = puts;
    if (!first)
        first = here;
    printf("%s same %d %d %d %d %d\n", tag, first == here, keep_data == here, keep_get() == here,
           other_get() == here, pie_get() == here);
    printf("%s version %d %d\n", tag, other_version(), pie_version());
}

int main(void)
{
    return serve_queries(answer, NULL);
}
