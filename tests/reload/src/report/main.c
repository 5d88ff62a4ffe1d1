/* Prints greeting() for each input line, until "quit". */
#include <stdio.h>
#include <string.h>

const char *greeting(void);

int main(void)
{
    char line[64];
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (fgets(line, sizeof line, stdin) && strcmp(line, "quit\n") != 0)
        printf("says %s\n", greeting());
    return 0;
}
