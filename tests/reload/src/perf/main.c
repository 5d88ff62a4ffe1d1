/* A program with one hot function: it calls burn() (hot.c, the object a
 * test reloads) until the file named by argv[1] exists. */
#include <unistd.h>

#include "rt.h"

long burn(long n);

int main(int argc, char **argv)
{
    long sum = 0;
    printf("ready\n");
    fflush(stdout);
    while (argc > 1 && access(argv[1], F_OK) != 0)
        sum += burn(2000000);
    printf("sum %ld\n", sum & 1);
    return 0;
}
