#include <string.h>
#include "weak.h"

#define BIG (48u << 20)
static unsigned char big[BIG];           /* 48 MiB of .bss */
unsigned char big_global[1u << 20];      /* 1 MiB, global */

static int plus_one(int x) { return x + 1; }
REGISTER(bigbss_plus_one, plus_one);

unsigned long big_bss_check(void)
{
    unsigned long zeros = 0, sum = 0;
    for (unsigned i = 0; i < BIG; i += 65536) zeros += big[i] == 0;
    for (unsigned i = 0; i < sizeof big_global; i += 4096) zeros += big_global[i] == 0;
    big[0] = 1;
    big[BIG / 2] = 2;
    big[BIG - 1] = 3;
    memset(big_global, 4, sizeof big_global);
    for (unsigned i = 0; i < BIG; i += 65536) sum += big[i];
    return zeros * 1000 + sum + big[BIG - 1] + big_global[sizeof big_global - 1];
}
