/* A plugin host: loads the plugin named by its argument, which calls back
 * into api.c (the object the test edits) by name, through the symbols
 * hotld exports (-rdynamic). Built as C, or as C++ (with the plugin). */
#include <dlfcn.h>

#include "rt.h"

static int (*plugin_run)(void), (*plugin_gone)(void);
static void (*plugin_set)(int);
int host_read(void);

/* The symbols' names in the dynamic symbol table: C++ mangles them. */
#ifdef __cplusplus
#define SYMBOL(c, cxx) cxx
#else
#define SYMBOL(c, cxx) c
#endif

static int found(const char *name)
{
    return dlsym(RTLD_DEFAULT, name) != NULL;
}

static void answer(const char *tag)
{
    printf("%s run %d\n", tag, plugin_run());
    printf("%s gone %d\n", tag, plugin_gone());
    plugin_set(77); /* the plugin writes settings, the host reads it: one variable */
    printf("%s sync %d\n", tag, host_read() == 77);
    plugin_set(10);
    printf("%s found %d %d %d\n", tag, found(SYMBOL("host_scale", "_Z10host_scalei")),
           found(SYMBOL("host_added", "_Z10host_addedv")), found(SYMBOL("host_gone", "_Z9host_gonev")));
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
    plugin_set = (void (*)(int))dlsym(plugin, "plugin_set");
    return serve_queries(answer, NULL);
}
