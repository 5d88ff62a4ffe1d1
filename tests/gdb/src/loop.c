/* Runs until its stdin closes, calling scale() once per line: the reload
 * test edits scale.c while this runs under gdb. */
#include <stdio.h>

int scale(int v, int by);

int main(void)
{
    char line[64];
    int i = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (fgets(line, sizeof line, stdin))
        printf("scaled %d\n", scale(++i, 2));
    return 0;
}
