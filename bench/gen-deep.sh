#!/usr/bin/env bash
# Generate the parked-threads program of bench/reload.sh into DIR:
#   main.c      starts THREADS threads (its first argument) that each
#               recurse DEPTH frames (its second) into deep() and sleep
#               there, prints "ready" once all are there, then answers each
#               line of input with work(1); built at -O0, so that every
#               frame is a real one
#   funcs-A.c   FUNCS small functions and work(), which calls the first
#   funcs-B.c   and the last; B's functions return other values
# Usage: bench/gen-deep.sh DIR FUNCS
set -euo pipefail
dir=$1 funcs=$2
mkdir -p "$dir"
cat >"$dir/main.c" <<'C'
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int work(int x);

static atomic_int parked;
static int depth;

static int deep(int n)
{
    if (n == 0) {
        atomic_fetch_add(&parked, 1);
        for (;;)
            pause();
    }
    return deep(n - 1) + 1;
}

static void *thread(void *arg)
{
    (void)arg;
    return (void *)(long)deep(depth);
}

int main(int argc, char **argv)
{
    int threads = argc > 2 ? atoi(argv[1]) : 0;
    depth = argc > 2 ? atoi(argv[2]) : 0;
    for (int i = 0; i < threads; i++) {
        pthread_t t;
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &a, thread, NULL) != 0)
            return 1;
    }
    while (atomic_load(&parked) < threads)
        usleep(1000);
    puts("ready");
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        printf("%d\n", work(1));
        fflush(stdout);
    }
    return 0;
}
C
for v in A B; do
    awk -v n="$funcs" -v v="$v" 'BEGIN {
        k = v == "A" ? 1 : 2
        for (i = 0; i < n; i++) printf "int f%d(int x) { return x * %d + %d; }\n", i, i + 1, k
        printf "int work(int x) { return f0(x) + f%d(x); }\n", n - 1
    }' >"$dir/funcs-$v.c"
done
