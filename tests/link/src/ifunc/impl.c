/* IFUNC definitions: the resolvers choose among static implementations
 * (here all give the same result, so the output does not depend on the
 * CPU), and one resolver returns a libc function. */
#include <string.h>

static int checksum_plain(const unsigned char *p, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += p[i];
    return s;
}

static int checksum_unrolled(const unsigned char *p, int n)
{
    int s = 0, i = 0;
    for (; i + 2 <= n; i += 2)
        s += p[i] + p[i + 1];
    for (; i < n; i++)
        s += p[i];
    return s;
}

typedef int checksum_fn(const unsigned char *, int);

static checksum_fn *choose_checksum(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse2") ? checksum_unrolled : checksum_plain;
}

int checksum(const unsigned char *p, int n) __attribute__((ifunc("choose_checksum")));

static void *choose_copy(void)
{
    return (void *)memcpy;
}

void *copy_bytes(void *, const void *, size_t) __attribute__((ifunc("choose_copy")));

int use_checksum(void)
{
    checksum_fn *volatile indirect = checksum;
    return checksum((const unsigned char *)"hotld", 5) + indirect((const unsigned char *)"!", 1);
}
