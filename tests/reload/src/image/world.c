/* Functions and data for hotld --print, --call and --refs to work on.
 * Version 2 changes what add() returns, for a call after a reload. */
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "world.h"

#ifndef VER
#define VER 1
#endif

struct player players[4] = {
    {"ann", {1, 2}, 100.0, RED, 5, -3, 0},
    {"bob", {3, 4}, 75.5, BLUE, 1, 7, &players[0]},
};
int nplayers = 2;
static int counter = 7;
const char *greeting = "hello";
size2 box = {2.5f, 4.0f};
long grid[2][3] = {{1, 2, 3}, {4, 5, 6}};

long add(long a, long b) { return a + b + (VER - 1) * 1000; }
double scale(double x, float f) { return x * f; }
int name_len(const char *s) { return (int)strlen(s); }
int vec_sum(struct vec v) { return v.x + v.y; }
struct vec vec_make(int x, int y) { return (struct vec){x, y}; }
int bump(void) { return ++counter; }
int crash(int *p) { return *p; }
unsigned char next_byte(unsigned char c) { return (unsigned char)(c + 1); }
double area(size2 s) { return (double)s.w * s.h; }

const char *color_name(enum color c)
{
    switch (c) {
    case RED: return "red";
    case GREEN: return "green";
    case BLUE: return "blue";
    }
    return "?";
}

int sum_ints(int n, ...)
{
    va_list ap;
    int total = 0;
    va_start(ap, n);
    while (n-- > 0)
        total += va_arg(ap, int);
    va_end(ap);
    return total;
}

__attribute__((noinline)) static int triple(int x) { return x * 3; }
int use_helper(int x) { return triple(x) + add(x, 1); }

void rename_player(int i, const char *name)
{
    strncpy(players[i].name, name, sizeof players[i].name - 1);
}

/* More of C's types, for --call's marshalling both ways. */
struct big big_make(long x)
{
    return (struct big){x, 2 * x, 3 * x, 4 * x};
}
long double ld_sum(long double a, long double b) { return a + b; }
bool is_even(int x) { return x % 2 == 0; }
int number_int(union number n) { return n.i; }
int apply(int (*fn)(int), int x) { return fn(x); }
int plus_one(int x) { return x + 1; }

/* Busy for ms milliseconds of the clock, in code that a reload replaces. */
int busy(int ms)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do
        clock_gettime(CLOCK_MONOTONIC, &now);
    while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
    return ms + (VER - 1) * 1000;
}
unsigned long long top_bit(void) { return 1ull << 63; }
short halve(short x) { return (short)(x / 2); }
union number num = {5};
_Thread_local int per_thread = 9;
