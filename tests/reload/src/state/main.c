/* Never rebuilt. Keeps a pointer to mod.o's g_counter taken at start-up
 * (before any reload) and reads through it on every query. */
#include "rt.h"

int *mod_counter_ptr(void);
void mod_bump(void);
void mod_report(const char *tag);
void other_bump(void);
void other_report(const char *tag);

static int *volatile saved_counter;

int main(void)
{
    char line[256];
    const char *tag;
    setvbuf(stdout, NULL, _IOLBF, 0);
    saved_counter = mod_counter_ptr();
    puts("ready");
    while (next_command(line, sizeof line)) {
        if ((tag = query_tag(line))) {
            mod_report(tag);
            other_report(tag);
            printf("%s via_saved_ptr %d\n", tag, *saved_counter);
            printf("%s saved_ptr %p\n", tag, (void *)saved_counter);
            printf("%s end\n", tag);
        } else if (!strcmp(line, "bump")) {
            mod_bump();
            other_bump();
            puts("bumped");
        } else if (!strcmp(line, "quit")) {
            break;
        }
    }
    return 0;
}
