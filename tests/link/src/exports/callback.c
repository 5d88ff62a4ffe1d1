/* A program whose library calls back into it: ld exports app_log, which
 * libcb.so refers to, even without -rdynamic; nothing else. */
#include <dlfcn.h>
#include <stdio.h>

void lib_run(int n);
void app_log(const char *what, int n) { printf("log: %s %d\n", what, n); }
void app_unreferenced(void) {}

int main(void)
{
    lib_run(3);
    printf("found: app_log %d unreferenced %d\n", dlsym(RTLD_DEFAULT, "app_log") == (void *)app_log,
           dlsym(RTLD_DEFAULT, "app_unreferenced") != NULL);
    return 0;
}
