/* Forks one worker and waits for it. The worker calls scale() once per
 * line of stdin, until stdin closes; then the first process calls it once
 * more. gdb follows the worker (set follow-fork-mode child), and the
 * first process runs on its own. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int scale(int v, int by);

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pid_t pid = fork();
    if (pid == 0) {
        char line[64];
        int i = 0;
        puts("ready");
        while (fgets(line, sizeof line, stdin))
            printf("worker scaled %d\n", scale(++i, 2));
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    printf("first process scaled %d\n", scale(100, 1));
    return 0;
}
