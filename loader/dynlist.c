/* GNU ld's --dynamic-list FILE: the symbols the program exports, as a
 * list of names or glob patterns between braces, each ended by ';':
 *     { lua_*; luaL_*; settings; };
 * Comments (C and shell style) are allowed. C++ blocks (extern "C++")
 * name demangled patterns, which hotld does not match: they are refused
 * with the way out (list the mangled names). */
#include <stdio.h>
#include <string.h>

#include "linker.h"
#include "util.h"

/* text without comments, in place */
static void strip_comments(char *t)
{
    for (char *p = t; *p; p++) {
        if (p[0] == '/' && p[1] == '*') {
            char *end = strstr(p + 2, "*/");
            memset(p, ' ', end ? (size_t)(end + 2 - p) : strlen(p));
        } else if (*p == '#') {
            size_t n = strcspn(p, "\n");
            memset(p, ' ', n);
        }
    }
}

static int add_pattern(struct link_options *o, const char *path, char *tok, size_t *cap)
{
    char *end = tok + strlen(tok);
    while (tok < end && strchr(" \t\r\n", *tok))
        tok++;
    while (end > tok && strchr(" \t\r\n", end[-1]))
        *--end = 0;
    if (!*tok)
        return 0;
    if (strpbrk(tok, " \t\n\"{}"))
        return fail("%s: '%s': only symbol names and patterns are understood here (extern \"C++\" "
                    "blocks: list the mangled names)", path, tok);
    ARRAY_PUSH(o->dynamic_list, o->ndynamic_list, *cap, xstrdup(tok));
    return 0;
}

int dynamic_list_read(struct link_options *o, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fail("%s: cannot read the dynamic list: %m", path);
    char *t = NULL;
    size_t len = 0, n, cap = o->ndynamic_list;
    char buf[4096];
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        t = xrealloc(t, len + n + 1);
        memcpy(t + len, buf, n);
        len += n;
    }
    fclose(f);
    if (!t)
        t = xcalloc(1, 1);
    t[len] = 0;
    strip_comments(t);
    char *open = strchr(t, '{'), *close = strrchr(t, '}');
    int rc = 0;
    if (!open || !close || close < open) {
        rc = fail("%s: not a dynamic list ('{ name; ... };')", path);
    } else {
        *close = 0;
        char *save = NULL;
        for (char *tok = strtok_r(open + 1, ";", &save); tok && rc == 0; tok = strtok_r(NULL, ";", &save))
            rc = add_pattern(o, path, tok, &cap);
    }
    xfree(t);
    if (rc == 0)
        o->exports = o->exports == EXPORT_ALL ? EXPORT_ALL : EXPORT_LIST;
    return rc;
}
