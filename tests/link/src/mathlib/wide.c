#include <stdio.h>

static void put_u128(const char *label, unsigned __int128 v)
{
    printf("%s = 0x%016llx%016llx\n", label, (unsigned long long)(v >> 64), (unsigned long long)v);
}

void print_int128_tests(void)
{
    volatile unsigned __int128 a = ((unsigned __int128)0x0123456789abcdefull << 64) | 0xfedcba9876543210ull;
    volatile unsigned __int128 b = 0x1000000000000007ull;
    volatile __int128 s = -(__int128)a / 3, t = 12345;
    put_u128("a*b", a * b);
    put_u128("a/b", a / b);          /* __udivti3 */
    put_u128("a%b", a % b);          /* __umodti3 */
    put_u128("s/t", (unsigned __int128)(s / t));   /* __divti3 */
    put_u128("s%t", (unsigned __int128)(s % t));   /* __modti3 */
    volatile double d = 1.5e30;
    put_u128("(u128)1.5e30", (unsigned __int128)d);   /* __fixunsdfti */
    printf("(double)a = %.6e\n", (double)a);           /* __floatuntidf */
    printf("(double)s = %.6e\n", (double)s);           /* __floattidf */
}
