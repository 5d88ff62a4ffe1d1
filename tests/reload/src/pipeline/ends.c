/* One end of a pipeline: says how it was called, then copies its stdin. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("ends: %d arguments%s%s\n", argc - 1, argc > 1 ? ", first " : "", argc > 1 ? argv[1] : "");
    int c;
    while ((c = getchar()) != EOF)
        putchar(c);
    return 0;
}
