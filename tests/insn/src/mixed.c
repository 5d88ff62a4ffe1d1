/* Instructions with RIP-relative operands and immediates of every size,
 * the case the reload's data binding decodes. */
#include <stdint.h>
static uint8_t b8;
static uint16_t w16;
static uint32_t d32;
static uint64_t q64;
static int arr[64];
struct pt { char tag; short s; int x; long y; } pts[8];
void touch(int i)
{
    b8 += 3;
    b8 ^= 0x80;
    w16 = 0x1234;
    w16 += 7;
    d32 = 0x12345678;
    d32 |= 1u << 20;
    q64 = 0x123456789abcull;
    q64 -= 5;
    arr[0] = 1;
    arr[i & 63] += 9;
    pts[0].tag = 'a';
    pts[1].s = 300;
    pts[2].x *= 7;
    if (b8 & 1)
        pts[3].y = -1;
}
int test(void) { return (d32 & 0x10) != 0 && (w16 & 0x8000) == 0 && (b8 & 4); }
