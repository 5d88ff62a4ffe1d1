/* A plugin host: what it exports decides whether the plugin loads, and
 * what dlsym finds of it. */
#include <dlfcn.h>
#include <stdio.h>

int settings = 42;
int host_twice(int x) { return 2 * x; }
int host_unlisted(void) { return 1; }
__attribute__((visibility("hidden"))) int host_hidden(void) { return 2; }

int main(int argc, char **argv)
{
    printf("found: twice %d settings %d unlisted %d hidden %d main %d\n",
           dlsym(RTLD_DEFAULT, "host_twice") == (void *)host_twice, dlsym(NULL, "settings") == (void *)&settings,
           dlsym(RTLD_DEFAULT, "host_unlisted") != NULL, dlsym(RTLD_DEFAULT, "host_hidden") != NULL,
           dlsym(RTLD_DEFAULT, "main") != NULL);
    void *h = dlopen(argc > 1 ? argv[1] : "./plugin.so", RTLD_NOW);
    if (!h) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    int (*run)(void) = (int (*)(void))dlsym(h, "plugin_run");
    printf("plugin_run=%d host_hidden=%d\n", run(), host_hidden());
    return 0;
}
