/* Demangling with libiberty, the demangler of the GNU toolchain (c++filt,
 * gdb and gcc's own): C++ ("_Z"), Rust, legacy ("_ZN...17h<hash>E", shown
 * without its hash, as gdb shows it) and v0 ("_R"), and D ("_D" and a
 * length). */
#include "demangle.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#undef ARRAY_SIZE /* libiberty.h has its own, the same */
#include <libiberty/demangle.h>


/* "_D" and a digit starts a D name (a qualified name's first part is a
 * length); C's names may start "_D" too (_DYNAMIC). */
static bool is_d_name(const char *symbol)
{
    return !strncmp(symbol, "_D", 2) && symbol[2] >= '1' && symbol[2] <= '9';
}

char *demangle(const char *symbol)
{
    if (!strncmp(symbol, "_Z", 2) || !strncmp(symbol, "_R", 2))
        return cplus_demangle(symbol, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
    return is_d_name(symbol) ? dlang_demangle(symbol, DMGL_PARAMS | DMGL_ANSI) : NULL;
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

char *source_name(const char *symbol)
{
    char *name = demangle(symbol);
    if (!name)
        return xstrdup(symbol);
    drop_abi_tags(name);
    return name;
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

/* Does a name's last components start at `at` of text? After a return
 * type's space, C++'s "::" or D's "."; not after " for ", which names the
 * compiler's tables of a class or module ("vtable for Shape", "ModuleInfo
 * for counter"), not the thing itself. */
static bool starts_component(const char *text, const char *at)
{
    size_t before = (size_t)(at - text);
    if (before >= 5 && !strncmp(at - 5, " for ", 5))
        return false;
    return !before || at[-1] == ' ' || at[-1] == '.' || (before >= 2 && at[-1] == ':' && at[-2] == ':');
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
     * function template's return type, and a D name without its module */
    const char *at = text + len - n;
    bool same = len >= n && !strncmp(at, name, n) && starts_component(text, at);
    xfree(text);
    return same;
}
