#define _GNU_SOURCE
/* The image test program: "q s" answers some of world.c's state as the
 * program itself sees it, so that a test can check what hotld --call and
 * set changed. Built with -DPOLL it calls hotld_poll() between commands,
 * and the calls hotld --call asks for must run there, in the main thread
 * (in_main_thread() says whether they do). */
#include <hotld.h>
#include <poll.h>
#include <unistd.h>
#include "rt.h"
#include "world.h"

int in_main_thread(void)
{
    return gettid() == getpid();
}

static void answer(const char *tag)
{
    printf("%s bump %d\n", tag, bump());
    printf("%s p1 %s %d %d %d\n", tag, players[1].name, players[1].pos.x, players[1].team, nplayers);
}

/* serve_queries, calling hotld_poll() every 10 ms while it waits. */
static int serve_polling(void)
{
    char line[256];
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    for (;;) {
        struct pollfd p = {STDIN_FILENO, POLLIN, 0};
        hotld_poll();
        if (poll(&p, 1, 10) <= 0)
            continue;
        if (!next_command(line, sizeof line) || !strcmp(line, "quit"))
            return 0;
        const char *tag = query_tag(line);
        if (tag) {
            answer(tag);
            printf("%s end\n", tag);
        }
    }
}

int main(int argc, char **argv)
{
    (void)argv;
    per_thread = 33; /* the main thread's copy: what --print shows */
    if (use_helper(argc) < 0) /* never: keeps use_helper linked and called */
        return 1;
#ifdef POLL
    return serve_polling();
#else
    return serve_queries(answer, NULL);
#endif
}
