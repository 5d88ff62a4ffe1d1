/* A heap overflow for valgrind, one call deep so that a report has two
 * frames of the program: with argv[1] "overflow", spill() writes one byte
 * past an 8-byte block; otherwise the program is clean. Built as C and
 * as C++. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void spill(char *p, int n)
{
    p[n] = 1;
}

int main(int argc, char **argv)
{
    char *p = (char *)malloc(8);
    spill(p, argc > 1 && !strcmp(argv[1], "overflow") ? 8 : 0);
    free(p);
    puts("done");
    return 0;
}
