/* A program with one hot function: it calls burn() (hot.c, the object a
 * test reloads) until the file named by argv[1] exists, and for at least
 * a quarter of a second of CPU time: on a loaded machine the file may
 * come before the program has had the CPU to be sampled. */
#include <time.h>
#include <unistd.h>

#include "rt.h"

long burn(long n);

int main(int argc, char **argv)
{
    long sum = 0;
    printf("ready\n");
    fflush(stdout);
    while (argc > 1 && (access(argv[1], F_OK) != 0 || clock() < CLOCKS_PER_SEC / 4))
        sum += burn(2000000);
    printf("sum %ld\n", sum & 1);
    return 0;
}
