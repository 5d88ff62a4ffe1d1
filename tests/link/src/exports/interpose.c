/* A program that defines a name its library defines too (which), and a
 * variable the library reads (app_level). The executable's definition
 * interposes on the library's once exported (-rdynamic): for the
 * library's own calls, and for a plugin loaded later. Without it, ld
 * exports app_level alone (the library refers to it). */
#include <dlfcn.h>
#include <stdio.h>

const char *which(void) { return "program"; }
int app_level = 7;

const char *lib_which(void);
int lib_level(void);

int main(int argc, char **argv)
{
    printf("program calls which: %s\n", which());
    printf("library calls which: %s\n", lib_which());
    printf("library reads app_level: %d\n", lib_level());
    app_level = 9;
    printf("library reads app_level after a store: %d\n", lib_level());
    void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;
    const char *(*plugin_which)(void) = h ? (const char *(*)(void))dlsym(h, "plugin_which") : NULL;
    printf("plugin calls which: %s\n", plugin_which ? plugin_which() : dlerror());
    printf("dlsym finds which: %s\n", dlsym(RTLD_DEFAULT, "which") == (void *)which ? "program's" : "another");
    return 0;
}
