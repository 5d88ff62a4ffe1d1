/* The program's loop is main itself, as in most terminal programs and
 * games: a reload of main.o cannot reach the running frame, which keeps
 * its old code until main returns. "q TAG" answers g.calls, read by the
 * loop's own code (whichever version of main.o that loop is), and the
 * version of main the loop runs; "step" calls mod.o's step(). With
 * -DLOOP_IN_RUN the loop is run(), which an unchanged main calls. */
#include "rt.h"

struct counters {
    int calls; /* mod.o's type may add fields after it */
};
extern struct counters g;
void step(void);

#ifdef LOOP_IN_RUN
int run(void) /* start.c's main calls it, once */
#else
int main(void)
#endif
{
    char line[256];
    const char *tag;
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (next_command(line, sizeof line)) {
        if ((tag = query_tag(line))) {
            printf("%s calls %d\n", tag, g.calls);
            printf("%s loop %d\n", tag, opaque_int(VER));
            printf("%s end\n", tag);
        } else if (!strcmp(line, "step")) {
            step();
        } else if (!strcmp(line, "quit")) {
            break;
        }
    }
    return 0;
}
