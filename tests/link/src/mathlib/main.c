/* -lm functions, __int128 arithmetic (libgcc __udivti3/__divti3/...),
 * __builtin_popcountll without -mpopcnt (libgcc __popcountdi2). */
#include <math.h>
#include <stdio.h>

void print_int128_tests(void);   /* wide.c */

int main(void)
{
    volatile double x = 0.7, y = 2.5, big = 1e6;
    volatile float xf = 0.3f;
    printf("sqrt %.12g\n", sqrt(y));
    printf("sin %.12g cos %.12g tan %.12g\n", sin(x), cos(x), tan(x));
    printf("exp %.12g log %.12g log10 %.12g\n", exp(y), log(y), log10(big));
    printf("pow %.12g fmod %.12g hypot %.12g\n", pow(y, x), fmod(big, 7.25), hypot(x, y));
    printf("floor %.1f ceil %.1f round %.1f lround %ld\n", floor(-y), ceil(-y), round(y), lround(y));
    printf("cbrt %.12g atan2 %.12g\n", cbrt(big), atan2(x, -y));
    printf("sinf %.6g expf %.6g\n", (double)sinf(xf), (double)expf(xf));
    print_int128_tests();

    volatile unsigned long long v[] = { 0, 1, 0xff, 0x8000000000000001ull, ~0ull, 0x123456789abcdefull };
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
        printf("popcountll(%#llx) = %d, parityll = %d\n", v[i], __builtin_popcountll(v[i]),
               __builtin_parityll(v[i]));
    volatile unsigned u = 0xf0f0f0u;
    printf("popcount(%#x) = %d\n", u, __builtin_popcount(u));
    return 0;
}
