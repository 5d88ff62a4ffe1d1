/* bench/timer.c: run command variants N times each and report wall times.
 *
 *   timer [-n RUNS] [-w WARMUP] [-C DIR] -- @LABEL CMD ARG... [@& CMD ARG...]
 *                                           [@LABEL CMD ARG... ...]
 *
 * Each "@LABEL" starts a variant; "@&" inside a variant chains a further
 * command that runs only if the previous one exited 0 (like the shell's &&),
 * so "gcc OBJS -o x @& ./x" times link plus run with no shell in between.
 * Commands are started with posix_spawnp, stdin and stdout go to /dev/null,
 * stderr is inherited. Variants are interleaved (round r starts at variant
 * r mod V) so drift in machine load spreads evenly over them; WARMUP
 * untimed rounds come first. A variant whose command fails stops the whole
 * measurement with exit status 1 and a message naming it: a broken run is
 * never timed.
 *
 * Output, one line per variant: "LABEL MEDIAN_MS MIN_MS MAX_MS".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct variant {
    const char *label;
    char ***cmds; /* NULL-terminated argv arrays */
    int ncmds;
    double *ms;
};

static void die(const char *fmt, const char *a)
{
    fprintf(stderr, "timer: ");
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
    exit(2);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Run one command; return its wait status, or -1 if it could not start. */
static int run(char **argv, posix_spawn_file_actions_t *fa)
{
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], fa, NULL, argv, environ);
    if (err) {
        fprintf(stderr, "timer: cannot run %s: %s\n", argv[0], strerror(err));
        return -1;
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return st;
}

/* Time one run of a variant; exits on failure. */
static double run_variant(struct variant *v, posix_spawn_file_actions_t *fa)
{
    double t0 = now_ms();
    for (int i = 0; i < v->ncmds; i++) {
        int st = run(v->cmds[i], fa);
        if (st != 0) {
            if (st > 0 && WIFEXITED(st))
                fprintf(stderr, "timer: %s: %s exited %d\n", v->label, v->cmds[i][0],
                        WEXITSTATUS(st));
            else if (st > 0 && WIFSIGNALED(st))
                fprintf(stderr, "timer: %s: %s killed by signal %d\n", v->label,
                        v->cmds[i][0], WTERMSIG(st));
            else
                fprintf(stderr, "timer: %s: %s failed\n", v->label, v->cmds[i][0]);
            exit(1);
        }
    }
    return now_ms() - t0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = 21, warmup = 1, opt;
    while ((opt = getopt(argc, argv, "n:w:C:")) != -1) {
        switch (opt) {
        case 'n': runs = atoi(optarg); break;
        case 'w': warmup = atoi(optarg); break;
        case 'C':
            if (chdir(optarg) != 0) die("cannot chdir to %s", optarg);
            break;
        default: die("usage: timer [-n RUNS] [-w WARMUP] [-C DIR] -- @LABEL CMD... %s", "");
        }
    }
    if (runs < 1) die("bad run count%s", "");

    /* Parse variants: split argv in place at @LABEL and @& markers. */
    struct variant *vs = calloc(argc, sizeof *vs);
    int nv = 0;
    for (int i = optind; i < argc; i++) {
        if (argv[i][0] == '@' && strcmp(argv[i], "@&") != 0) {
            struct variant *v = &vs[nv++];
            v->label = argv[i] + 1;
            v->cmds = calloc(argc, sizeof *v->cmds);
            argv[i] = NULL;
            continue;
        }
        if (nv == 0) die("expected @LABEL before %s", argv[i]);
        struct variant *v = &vs[nv - 1];
        if (strcmp(argv[i], "@&") == 0) {
            argv[i] = NULL; /* ends the previous command's argv */
            continue;
        }
        if (i == optind || argv[i - 1] == NULL) v->cmds[v->ncmds++] = &argv[i];
    }
    if (nv == 0) die("no variants given%s", "");
    for (int i = 0; i < nv; i++) {
        if (vs[i].ncmds == 0) die("variant @%s has no command", vs[i].label);
        vs[i].ms = calloc(runs, sizeof(double));
    }

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);

    for (int r = 0; r < warmup; r++)
        for (int k = 0; k < nv; k++) run_variant(&vs[k], &fa);
    for (int r = 0; r < runs; r++)
        for (int k = 0; k < nv; k++) {
            struct variant *v = &vs[(r + k) % nv];
            v->ms[r] = run_variant(v, &fa);
        }

    for (int k = 0; k < nv; k++) {
        struct variant *v = &vs[k];
        qsort(v->ms, runs, sizeof(double), cmp_double);
        double med = runs % 2 ? v->ms[runs / 2] : (v->ms[runs / 2 - 1] + v->ms[runs / 2]) / 2;
        printf("%s %.3f %.3f %.3f\n", v->label, med, v->ms[0], v->ms[runs - 1]);
    }
    return 0;
}
