/* A plugin host: loads the plugin named by its argument, which calls back
 * into api.c (the object the test edits) by name, through the symbols
 * hotld exports (-rdynamic). */
#include <dlfcn.h>

#include "rt.h"

static int (*plugin_run)(void), (*plugin_gone)(void);

static int found(const char *name)
{
    return dlsym(RTLD_DEFAULT, name) != NULL;
}

static void answer(const char *tag)
{
    printf("%s run %d\n", tag, plugin_run());
    printf("%s gone %d\n", tag, plugin_gone());
    printf("%s found %d %d %d\n", tag, found("host_scale"), found("host_added"), found("host_gone"));
}

int main(int argc, char **argv)
{
    void *plugin = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;
    if (!plugin) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    plugin_run = (int (*)(void))dlsym(plugin, "plugin_run");
    plugin_gone = (int (*)(void))dlsym(plugin, "plugin_gone");
    return serve_queries(answer, NULL);
}
