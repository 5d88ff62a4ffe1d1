/* Bugs planted for the sanitizers, chosen by argv[1]: "overflow" writes
 * one byte past a heap block, "leak" loses a block of 100 bytes; with
 * neither, the program is clean. A block only a global points to is no
 * leak. It says what LD_PRELOAD it sees. Built as C and as C++. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int *keep;

int main(int argc, char **argv)
{
    keep = (int *)malloc(40);
    char *p = (char *)malloc(8);
    if (argc > 1 && !strcmp(argv[1], "overflow"))
        p[8] = 1;
    if (argc > 1 && !strcmp(argv[1], "leak")) {
        char *volatile q = (char *)malloc(100);
        q[0] = 0;
        q = NULL;
    }
    free(p);
    printf("done, LD_PRELOAD %s\n", getenv("LD_PRELOAD") ? getenv("LD_PRELOAD") : "unset");
    return 0;
}
