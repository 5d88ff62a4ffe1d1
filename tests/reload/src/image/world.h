/* The data of the image test program: the kinds of values hotld --print
 * shows and hotld --call passes. */
#ifndef IMAGE_WORLD_H
#define IMAGE_WORLD_H

#include <stdbool.h>

enum color { RED, GREEN = 5, BLUE };

struct vec {
    int x, y;
};

typedef struct {
    float w, h;
} size2;

struct player {
    char name[16];
    struct vec pos;
    double hp;
    enum color team;
    unsigned flags : 3;
    signed level : 5;
    struct player *buddy;
};

struct big {
    long a, b, c, d;
};

union number {
    int i;
    float f;
};

extern struct player players[4];
extern union number num;
extern _Thread_local int per_thread;
extern int nplayers;
extern const char *greeting;
extern size2 box;
extern long grid[2][3];

long add(long a, long b);
double scale(double x, float f);
int name_len(const char *s);
const char *color_name(enum color c);
int vec_sum(struct vec v);
struct vec vec_make(int x, int y);
int bump(void);
int crash(int *p);
int sum_ints(int n, ...);
int use_helper(int x);
unsigned char next_byte(unsigned char c);
void rename_player(int i, const char *name);
double area(size2 s);
struct big big_make(long x);
long double ld_sum(long double a, long double b);
bool is_even(int x);
int number_int(union number n);
int apply(int (*fn)(int), int x);
int plus_one(int x);
int busy(int ms);
unsigned long long top_bit(void);
short halve(short x);

#endif
