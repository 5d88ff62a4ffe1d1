/* Demangling with libstdc++'s __cxa_demangle, the demangler of the
 * toolchain that made the names. hotld does not link libstdc++: it is
 * loaded on the first C++ name (a C++ program has it loaded already, and
 * dlopen gives the same copy), so that C programs never carry it. */
#include "demangle.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef char *demangler(const char *mangled, char *buf, size_t *len, int *status);

static demangler *cxa_demangle;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *lib = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
    cxa_demangle = lib ? (demangler *)dlsym(lib, "__cxa_demangle") : NULL;
}

char *demangle(const char *symbol)
{
    int status;
    if (strncmp(symbol, "_Z", 2))
        return NULL;
    pthread_once(&loaded, load);
    return cxa_demangle ? cxa_demangle(symbol, NULL, NULL, &status) : NULL;
}

bool demangles_to(const char *symbol, const char *name)
{
    char *text = demangle(symbol);
    size_t n = strlen(name);
    bool same = text && !strncmp(text, name, n) && (!text[n] || text[n] == '(');
    xfree(text);
    return same;
}
