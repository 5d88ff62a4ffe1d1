/* A program a reload cannot park: a thread that blocks every signal and
 * never sleeps. main prints "ready", waits for one line, prints value()
 * and returns: its exit may come while a build's link waits to reload it. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

int value(void);

static volatile unsigned long spins;

static void *spin(void *arg)
{
    (void)arg;
    for (;;)
        spins++;
    return NULL;
}

int main(void)
{
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL);
    pthread_sigmask(SIG_UNBLOCK, &all, NULL);
    char line[64];
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    if (fgets(line, sizeof line, stdin))
        printf("value %d\n", value());
    return 0;
}
