/* Prints the state of config.c for each input line, until "quit". */
#include <stdio.h>
#include <string.h>

void show(char *line, size_t size);

int main(void)
{
    char line[256];
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (fgets(line, sizeof line, stdin) && strcmp(line, "quit\n") != 0) {
        show(line, sizeof line);
        printf("state %s\n", line);
    }
    return 0;
}
