/* Forks a worker that calls work() in a loop, as a pre-fork server's
 * workers do, and answers queries itself. A reload reaches the worker
 * too, and names it. With -DPOLL the program takes its reloads at
 * hotld_poll(): the first process calls it between queries, the worker
 * never does. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef POLL
#include <hotld.h>
#define RT_POLLING
#endif
#include "rt.h"

int work(void);

static pid_t worker;

static void answer(const char *tag)
{
    printf("%s work %d\n", tag, work());
    printf("%s worker %d\n", tag, (int)worker);
}

int main(void)
{
#ifdef POLL
    hotld_poll(); /* from here on, reloads and calls wait for it */
#endif
    worker = fork();
    if (worker == 0) {
        for (;;) {
            work();
            usleep(10000);
        }
    }
#ifdef POLL
    int rc = serve_queries_polling(answer, NULL, hotld_poll);
#else
    int rc = serve_queries(answer, NULL);
#endif
    kill(worker, SIGKILL);
    waitpid(worker, NULL, 0);
    return rc;
}
