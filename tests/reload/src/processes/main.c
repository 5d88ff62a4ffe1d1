/* A pre-fork server in miniature: main forks N workers (argv[1]), each
 * calling work() in a loop and writing what it got into a shared table,
 * and answers queries itself: "q TAG" prints its own work() and, for each
 * worker, "TAG wI VALUE TOTAL ITERATIONS PID". Worker I seeds its total
 * with I * 1000000, so each process's value is its own. "block I" makes
 * worker I start a thread that blocks every signal and runs loaded code
 * without pause (it cannot be parked); "unblock I" ends it. With "drop"
 * after N (and run as root), worker 1 becomes user nobody at once, as
 * nginx's and Apache's workers do. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt.h"

int work(void);
long work_total(void);
void work_seed(long v);

struct slot {
    volatile int value, blocking;
    volatile long total, iterations;
    volatile pid_t pid;
};

static struct slot *slots;
static int nworkers;
static pid_t *workers;

static void *spin(void *arg)
{
    struct slot *s = (struct slot *)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    while (s->blocking == 1)
        work();
    return NULL;
}

static void serve(int i)
{
    struct slot *s = &slots[i];
    pthread_t t;
    bool spinning = false;
    s->pid = getpid();
    work_seed(i * 1000000L);
    for (;;) {
        s->value = work();
        s->total = work_total();
        s->iterations++;
        if (s->blocking == 1 && !spinning)
            spinning = pthread_create(&t, NULL, spin, s) == 0;
        if (s->blocking != 1 && spinning)
            spinning = pthread_join(t, NULL) != 0;
        usleep(2000);
    }
}

static void answer(const char *tag)
{
    printf("%s first %d\n", tag, work());
    for (int i = 0; i < nworkers; i++)
        printf("%s w%d %d %ld %ld %d\n", tag, i, slots[i].value, slots[i].total, slots[i].iterations, (int)slots[i].pid);
}

static void command(const char *line)
{
    int i;
    if (sscanf(line, "block %d", &i) == 1 && i >= 0 && i < nworkers)
        slots[i].blocking = 1;
    else if (sscanf(line, "unblock %d", &i) == 1 && i >= 0 && i < nworkers)
        slots[i].blocking = 2;
}

int main(int argc, char **argv)
{
    nworkers = argc > 1 ? atoi(argv[1]) : 2;
    slots = (struct slot *)mmap(NULL, nworkers * sizeof *slots, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    workers = (pid_t *)calloc(nworkers, sizeof *workers);
    bool drop = argc > 2 && !strcmp(argv[2], "drop") && getuid() == 0;
    for (int i = 0; i < nworkers; i++)
        if ((workers[i] = fork()) == 0) {
            if (drop && i == 1 && (setgid(65534) != 0 || setuid(65534) != 0))
                return 1;
            serve(i);
        }
    for (int i = 0; i < nworkers; i++)
        while (!slots[i].iterations)
            usleep(1000);
    int rc = serve_queries(answer, command);
    for (int i = 0; i < nworkers; i++)
        kill(workers[i], SIGKILL);
    for (int i = 0; i < nworkers; i++)
        waitpid(workers[i], NULL, 0);
    return rc;
}
