/* The program debugged by tests/gdb/gdb.sh: a global struct, a static
 * counter, a function with locals, a call chain for backtraces. */
#include <stdio.h>

struct point {
    int x, y;
};

struct point origin = {3, 4};
int total;

int scale(int v, int by);

static int step(int i)
{
    int doubled = scale(i, 2);
    total += doubled;
    return doubled;
}

int main(void)
{
    int last = 0;
    for (int i = 0; i < 3; i++)
        last = step(i);
    printf("total %d last %d origin %d,%d\n", total, last, origin.x, origin.y);
    return 0;
}
