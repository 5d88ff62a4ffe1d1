/* backtrace()/backtrace_symbols_fd() through loaded code (needs .eh_frame),
 * built with -fstack-protector-all. Only frame counts are printed because
 * names and addresses differ between a linked executable and hotld. */
#include <execinfo.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __clang__
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif

int bt_level2(int depth);   /* other.c */

NOINLINE int bt_level3(int depth)
{
    void *frames[64];
    char buf[32];                       /* a protected local buffer */
    snprintf(buf, sizeof buf, "depth %d", depth);
    int n = backtrace(frames, 64);
    int fd = open("/dev/null", O_WRONLY);
    backtrace_symbols_fd(frames, n, fd);
    close(fd);
    char **syms = backtrace_symbols(frames, n);
    int nsyms = 0;
    for (int i = 0; syms && i < n; i++) nsyms += syms[i] != NULL;
    free(syms);
    /* bt_level3, bt_level2, bt_level1, main: at least 4 frames. */
    printf("%s: backtrace found >= 4 frames: %s, symbols for all: %s\n", buf,
           n >= 4 ? "yes" : "no", nsyms == n ? "yes" : "no");
    return n >= 4;
}

NOINLINE int bt_level1(int depth) { return bt_level2(depth + 1) + 1; }

NOINLINE static void smash_free_copy(const char *s)
{
    char small[16];
    strncpy(small, s, sizeof small - 1);
    small[sizeof small - 1] = 0;
    printf("copied '%s'\n", small);
}

int main(void)
{
    smash_free_copy("stack protector on, no overflow");
    int r = bt_level1(1);
    printf("result %d\n", r);
    return r == 3 ? 0 : 1;
}
