/* The program looks itself up: backtrace_symbols, backtrace_symbols_fd,
 * dladdr and dladdr1 on its own function, variable and static function. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>

int counter = 3;
static int helper(void) { return counter; }

static void where(const char *what, const void *addr)
{
    Dl_info info;
    void *extra;
    int found = dladdr(addr, &info), found1 = dladdr1(addr, &info, &extra, RTLD_DL_SYMENT);
    printf("%s: found %d %d name %s exact %d\n", what, found, found1, info.dli_sname ? info.dli_sname : "(none)",
           info.dli_saddr == addr);
}

__attribute__((noinline)) void show(void)
{
    void *pcs[2];
    int n = backtrace(pcs, 2);
    char **lines = backtrace_symbols(pcs, n);
    for (int i = 0; i < n; i++)
        printf("frame %s\n", lines[i]);
    free(lines);
    fflush(stdout);
    backtrace_symbols_fd(pcs, n, 1);
    where("show", (void *)show);
    where("counter", &counter);
    where("helper", (void *)helper);
}

int main(void)
{
    show();
    return helper() - 3;
}
