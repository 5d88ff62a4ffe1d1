/* Its main loop never returns: a reload of this object leaves the old
 * main running, calling the new helper. */
#include <stdio.h>

int scale(int v, int by);

static int helper(int i)
{
    return scale(i, 2);
}

int main(void)
{
    char line[64];
    int i = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (fgets(line, sizeof line, stdin))
        printf("helped %d\n", helper(++i));
    return 0;
}
