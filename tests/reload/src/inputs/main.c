/* Objects and archive members come and go between reloads: a_value() is in
 * a.o, which uses libx.a's members; extra_value() is a weak reference that
 * an added object c.o defines. */
#include "../rt.h"

int a_value(void);
int extra_value(void) __attribute__((weak));

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("ready\n");
    char line[256];
    while (next_command(line, sizeof line)) {
        const char *tag = query_tag(line);
        if (!strcmp(line, "quit"))
            break;
        if (!tag)
            continue;
        printf("%s a %d\n", tag, a_value());
        printf("%s extra %d\n", tag, extra_value ? extra_value() : -1);
        printf("%s end\n", tag);
    }
    return 0;
}
