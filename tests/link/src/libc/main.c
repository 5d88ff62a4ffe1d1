/* libc data used directly from the loaded program: stdout, stderr, optind,
 * optarg, environ; argv/argc passing, with the environment and the
 * auxiliary vector after argv; a signal handler; exit status. */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;
int parse_options(int argc, char **argv);   /* opts.c */
void report_to(FILE *f, const char *what);  /* opts.c */

static volatile sig_atomic_t got_signal;
static void on_usr1(int sig) { got_signal = sig; }

int main(int argc, char **argv, char **envp)
{
    printf("argc = %d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d] = '%s'\n", i, argv[i]);
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);

    int nopts = parse_options(argc, argv);
    printf("options parsed: %d, optind = %d\n", nopts, optind);
    for (int i = optind; i < argc; i++) printf("operand: %s\n", argv[i]);

    int tests = 0;
    const char *val = NULL;
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, "HOTLD_TEST_", 11) == 0) tests++;
        if (strncmp(*e, "HOTLD_TEST_VAR=", 15) == 0) val = *e + 15;
    }
    printf("HOTLD_TEST_ vars: %d, HOTLD_TEST_VAR = %s, getenv agrees: %d\n", tests,
           val ? val : "(unset)", val == getenv("HOTLD_TEST_VAR"));
    printf("envp == environ: %d\n", envp == environ);
    /* the kernel's layout, which runtimes rely on (gccgo's scans past argv) */
    printf("environment follows argv: %d\n", argv + argc + 1 == environ);
    char **end = envp;
    while (*end) end++;
    unsigned long pagesz = 0;
    for (unsigned long *aux = (unsigned long *)(end + 1); aux[0] != AT_NULL; aux += 2)
        if (aux[0] == AT_PAGESZ) pagesz = aux[1];
    printf("auxiliary vector follows the environment: %d\n", pagesz && pagesz == getauxval(AT_PAGESZ));

    fputs("to stdout via fputs\n", stdout);
    fprintf(stderr, "to stderr via fprintf\n");
    report_to(stderr, "report on stderr");
    report_to(stdout, "report on stdout");
    warnx("warnx names the program");

    int lines = 0;
    char line[256];
    while (fgets(line, sizeof line, stdin)) lines++;
    printf("stdin lines: %d\n", lines);

    if (signal(SIGUSR1, on_usr1) == SIG_ERR) return 99;
    raise(SIGUSR1);
    printf("signal handler ran: %d\n", got_signal == SIGUSR1);
    fflush(stdout);
    return 3 + nopts + (argc > 3);
}
