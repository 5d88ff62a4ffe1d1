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

/* Take out every ABI tag ("[abi:cxx11]"): the source names it without. */
static void drop_abi_tags(char *text)
{
    char *tag;
    while ((tag = strstr(text, "[abi:"))) {
        char *end = strchr(tag, ']');
        if (!end)
            return;
        memmove(tag, end + 1, strlen(end + 1) + 1);
    }
}

/* Where the qualified name of a demangled function ends: before its
 * parameter list and the qualifiers after it ("int twice<int>" of
 * "int twice<int>(int)", "Square::area" of "Square::area() const"). A
 * variable's is the whole text ("counter()::cache", a function's static). */
static size_t name_length(const char *text)
{
    static const char *const qualifiers[] = {" const", " volatile", " &&", " &", " noexcept"};
    size_t end = strlen(text);
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof qualifiers / sizeof *qualifiers; i++) {
            size_t n = strlen(qualifiers[i]);
            if (end > n && !strncmp(text + end - n, qualifiers[i], n))
                end -= n, again = true;
        }
    }
    if (!end || text[end - 1] != ')')
        return strlen(text);
    for (size_t i = end, depth = 0; i-- > 0;) {
        depth += text[i] == ')';
        if (text[i] == '(' && --depth == 0)
            return i;
    }
    return strlen(text);
}

bool demangles_to(const char *symbol, const char *name)
{
    char *text = demangle(symbol);
    if (!text)
        return false;
    if (!strstr(name, "[abi:"))
        drop_abi_tags(text);
    size_t len = strchr(name, '(') ? strlen(text) : name_length(text), n = strlen(name);
    /* the name as written, or its last components: gdb's way, which also
     * finds a name of an inline namespace (std::__cxx11::) or after a
     * function template's return type */
    const char *at = text + len - n;
    bool same = len >= n && !strncmp(at, name, n) &&
                (at == text || at[-1] == ' ' || (at - text >= 2 && at[-1] == ':' && at[-2] == ':'));
    xfree(text);
    return same;
}
