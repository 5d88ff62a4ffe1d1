/* Never rebuilt. "run" calls mod_run (which reads stdin until "stop"). */
#include "rt.h"

void mod_run(void);

int main(void)
{
    char line[256];
    const char *tag;
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (next_command(line, sizeof line)) {
        if ((tag = query_tag(line))) {
            printf("%s end\n", tag);
        } else if (!strcmp(line, "run")) {
            mod_run();
        } else if (!strcmp(line, "quit")) {
            break;
        }
    }
    return 0;
}
