/* Three objects; the test rebuilds a.o and b.o, never main.o. */
#include "rt.h"

int a_value(void);
int b_value(void);

int main(void)
{
    char line[256];
    const char *tag;
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (next_command(line, sizeof line)) {
        if ((tag = query_tag(line))) {
            printf("%s a %d\n", tag, a_value());
            printf("%s b %d\n", tag, b_value());
            printf("%s end\n", tag);
        } else if (!strcmp(line, "quit")) {
            break;
        }
    }
    return 0;
}
