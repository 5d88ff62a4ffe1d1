/* Forks a worker that calls work() in a loop, as a pre-fork server's
 * workers do, and answers queries itself. A reload reaches the worker
 * too, and names it. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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
    worker = fork();
    if (worker == 0) {
        for (;;) {
            work();
            usleep(10000);
        }
    }
    int rc = serve_queries(answer, NULL);
    kill(worker, SIGKILL);
    waitpid(worker, NULL, 0);
    return rc;
}
