/* A fuzz target's kept inputs run through it without libFuzzer: the
 * suite's corpus replay (tests/fuzz/corpus.sh), linked with the ASan and
 * UBSan objects the suite builds anyway, where building the libFuzzer
 * targets compiled every source again (make fuzz still does).
 *
 * Usage: replay/fuzz_NAME DIR|FILE...   Each input's path goes to stderr
 * before it runs, so that a sanitizer's report, or the alarm that stops
 * an input running over a minute, follows the name of the input at fault. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { SECONDS_PER_INPUT = 60 };

/* Its bytes in a buffer of exactly their size, so that reading past them
 * is caught. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0) {
        fprintf(stderr, "replay: %s: cannot be read\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *data = malloc(size ? size : 1);
    size_t got = data ? fread(data, 1, size, f) : 0;
    fclose(f);
    if (got != size) {
        fprintf(stderr, "replay: %s: cannot be read\n", path);
        free(data);
        return -1;
    }
    fprintf(stderr, "replay: %s\n", path);
    alarm(SECONDS_PER_INPUT); /* SIGALRM's default action ends the run */
    LLVMFuzzerTestOneInput(data, size);
    alarm(0);
    free(data);
    return 0;
}

/* Every regular file in dir, in name order: the same run each time. */
static int run_dir(const char *dir, size_t *count)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort), rc = 0;
    if (n < 0) {
        fprintf(stderr, "replay: %s: cannot be listed\n", dir);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char *path;
        struct stat st;
        if (rc == 0 && asprintf(&path, "%s/%s", dir, names[i]->d_name) >= 0) {
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                rc = run_file(path);
                ++*count;
            }
            free(path);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        int rc = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode) ? run_dir(argv[i], &count)
                                                                  : (count++, run_file(argv[i]));
        if (rc < 0)
            return 1;
    }
    fprintf(stderr, "replay: %zu inputs, none failed\n", count);
    return 0;
}
