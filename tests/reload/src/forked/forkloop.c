/* Forks in a loop until the file "done" appears, each child exiting at
 * once; after each fork returns, its time goes to forks.log (seconds,
 * CLOCK_REALTIME, as date +%s.%N prints them). */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    FILE *log = fopen("forks.log", "w");
    if (!log)
        return 2;
    setvbuf(log, NULL, _IOLBF, 0);
    printf("ready\n");
    fflush(stdout);
    while (access("done", F_OK) != 0) {
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        if (child < 0)
            return 2;
        waitpid(child, NULL, 0);
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        fprintf(log, "%ld.%09ld\n", (long)t.tv_sec, t.tv_nsec);
        usleep(5000);
    }
    return 0;
}
