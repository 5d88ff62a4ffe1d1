/* A program whose sources the test edits while it runs (--watch follows
 * them): each line read prints value() and other(), both of which use
 * shared.h, and a count of lines that survives reloads. */
#include <stdio.h>

int value(void);
int other(void);

int main(void)
{
    static int lines;
    char line[64];
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (fgets(line, sizeof line, stdin))
        printf("line %d value %d other %d\n", ++lines, value(), other());
    return 0;
}
