/* Variables whose initializers one version changes (VER=2) and another
 * leaves as they were while its code moves (VER=3): a reload keeps every
 * running value, says which initializers changed, and starts those
 * --reset names again. */
#include <stdio.h>

#if VER == 3
__attribute__((noinline)) static int helper(void) { return 7; } /* moves every function after it */
#endif
static int one(void) { return 1; }
static int two(void) { return 2; }
#if VER == 3
static volatile int added_before; /* moves the statics after it */
#endif

int speed = VER == 2 ? 20 : 10;                 /* .data */
#if VER == 2
int lives = 3; /* .bss, then .data */
#else
int lives;
#endif
const char *title = VER == 2 ? "demo" : "game"; /* a string's address */
struct window { int w, h; } window = {640, VER == 2 ? 400 : 480};
/* Addresses of statics: volatile, or -O2 would fold them into the code. */
static int (*volatile pick[])(void) = {VER == 2 ? two : one, VER == 2 ? one : two};
static volatile int hits, misses;
static volatile int *volatile counter = VER == 2 ? &misses : &hits;
int calls;                                        /* never changes */

void show(char *line, size_t size)
{
    static int shown = 100; /* a function static, for --reset */
    shown++;
    calls++;
    (*counter)++;
#if VER == 3
    added_before = helper();
#endif
    snprintf(line, size, "speed=%d lives=%d title=%s window=%dx%d pick=%d%d hits=%d misses=%d calls=%d shown=%d",
             speed, lives, title, window.w, window.h, pick[0](), pick[1](), hits, misses, calls, shown);
}
