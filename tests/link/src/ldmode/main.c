/* A program for hotld as the build's linker. With "self", it runs itself
 * again through /proc/self/exe and through argv[0] (as death tests and
 * self-exec do); with "loop", it prints value() until stdin ends, one
 * line per line read, keeping a count across reloads. Otherwise it prints
 * what it sees and exits 3. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int value(void);

static int run_again(const char *path, char **argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = {argv[0], "child", NULL};
        execv(path, args);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv)
{
    static int lines;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && !strcmp(argv[1], "child"))
        return 7;
    if (argc > 1 && !strcmp(argv[1], "self")) {
        printf("proc-self-exe %d argv0 %d\n", run_again("/proc/self/exe", argv), run_again(argv[0], argv));
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "loop")) {
        char line[64];
        puts("ready");
        while (fgets(line, sizeof line, stdin))
            printf("line %d value %d\n", ++lines, value());
        return 0;
    }
    printf("value %d argc %d argv1 %s\n", value(), argc, argc > 1 ? argv[1] : "-");
    return 3;
}
