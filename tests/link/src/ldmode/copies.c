/* Two copies of one program: the first runs itself again (exec of
 * /proc/self/exe, as a server's worker or a launcher would), and both
 * print value() until the file named by argv[1] exists. */
#include <stdio.h>
#include <unistd.h>

int value(void);

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *who = argc > 2 ? "second" : "first";
    if (argc == 2 && fork() == 0) {
        execl("/proc/self/exe", argv[0], argv[1], "second", (char *)NULL);
        _exit(127);
    }
    printf("%s ready\n", who);
    while (argc > 1 && access(argv[1], F_OK) != 0) {
        printf("%s %d\n", who, value());
        usleep(20000);
    }
    return 0;
}
