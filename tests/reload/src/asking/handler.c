/* A program with its own crash reporter, as Redis and many games have:
 * SIGSEGV through sigaction (SA_SIGINFO, SA_RESETHAND), SIGFPE through
 * signal(), SIGILL through sigset(). Each writes a report and exits with
 * its own status. "step" runs work.o's step (the reloaded code); "segv",
 * "fpe" and "ill" crash here, in code no reload brought. It also handles
 * the real-time signals hotld uses itself (SIGRTMIN+6, +7), which "rt"
 * raises. */
#define _GNU_SOURCE /* sigset */
#include <signal.h>
#include <unistd.h>
#include "rt.h"

int work_step(int n);
int work_version(void);

int *nowhere;
static volatile int zero;
static int steps, total;
static volatile sig_atomic_t rt_seen;

static void say(const char *text)
{
    if (write(STDOUT_FILENO, text, strlen(text)) < 0)
        _exit(99);
}

static void segv_report(int sig, siginfo_t *si, void *context)
{
    char line[160];
    (void)context;
    snprintf(line, sizeof line, "crash report: signal %d, code %d, address %p, %d steps\n", sig, si->si_code,
             si->si_addr, steps);
    say(line);
    _exit(70);
}

static void fpe_report(int sig)
{
    (void)sig;
    say("fpe report\n");
    _exit(71);
}

static void ill_report(int sig)
{
    (void)sig;
    say("ill report\n");
    _exit(72);
}

static void rt_count(int sig)
{
    (void)sig;
    rt_seen++;
}

/* What sigaction says is installed: the program's own handlers. */
static int installed(void)
{
    struct sigaction segv, fpe, ill;
    sigaction(SIGSEGV, NULL, &segv);
    sigaction(SIGFPE, NULL, &fpe);
    sigaction(SIGILL, NULL, &ill);
    return segv.sa_sigaction == segv_report && (segv.sa_flags & SA_SIGINFO) && (segv.sa_flags & SA_RESETHAND) &&
           fpe.sa_handler == fpe_report && ill.sa_handler == ill_report;
}

static void answer(const char *tag)
{
    printf("%s installed %d\n", tag, installed());
    printf("%s work %d %d %d\n", tag, work_version(), steps, total);
    printf("%s rt %d\n", tag, (int)rt_seen);
}

static void other(const char *line)
{
    if (!strcmp(line, "step")) {
        total += work_step(steps++);
        printf("stepped %d\n", total);
    } else if (!strcmp(line, "segv")) {
        *nowhere = 1;
    } else if (!strcmp(line, "fpe")) {
        printf("%d\n", 42 / zero); /* not 1 / zero: gcc does that without a division */
    } else if (!strcmp(line, "ill")) {
        __builtin_trap();
    } else if (!strcmp(line, "rt")) {
        raise(SIGRTMIN + 6);
        raise(SIGRTMIN + 7);
    }
}

int main(void)
{
    struct sigaction sa = {.sa_sigaction = segv_report, .sa_flags = SA_SIGINFO | SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    signal(SIGFPE, fpe_report);
#pragma GCC diagnostic ignored "-Wdeprecated-declarations" /* sigset: as old programs do */
    sigset(SIGILL, ill_report);
    signal(SIGRTMIN + 6, rt_count);
    signal(SIGRTMIN + 7, rt_count);
    return serve_queries(answer, other);
}
