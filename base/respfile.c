/* Response files: build systems pass long link lines as "@FILE" (CMake's
 * and Meson's rules do, past the shell's limits). The words of FILE are
 * split as libiberty's expandargv splits them, which is what gcc and GNU
 * ld use: whitespace separates, '...' and "..." quote, a backslash takes
 * the next character as it is. */
#include "respfile.h"

#include <stdio.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

#define MAX_DEPTH 16

struct words {
    char **v;
    size_t n, cap;
};

static void push(struct words *w, char *word)
{
    ARRAY_PUSH(w->v, w->n, w->cap, word);
}

/* The words of text, added to w. */
static void split(const char *text, struct words *w)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
            p++;
        if (!*p)
            break;
        struct strbuf word = {0};
        char quote = 0;
        sb_printf(&word, "%s", "");
        for (; *p && (quote || !strchr(" \t\n\r\f\v", *p)); p++) {
            if (*p == '\\' && p[1])
                sb_printf(&word, "%c", *++p);
            else if (quote && *p == quote)
                quote = 0;
            else if (!quote && (*p == '\'' || *p == '"'))
                quote = *p;
            else
                sb_printf(&word, "%c", *p);
        }
        push(w, word.s);
    }
}

static int expand(char *const *in, size_t n, struct words *out, int depth)
{
    for (size_t i = 0; i < n; i++) {
        char *text = in[i][0] == '@' ? sb_file_text(in[i] + 1) : NULL;
        if (!text) {
            push(out, in[i]);
            continue;
        }
        if (depth == MAX_DEPTH) {
            xfree(text);
            return fail("%s: response files nested more than %d deep", in[i] + 1, MAX_DEPTH);
        }
        struct words inner = {0};
        split(text, &inner);
        xfree(text);
        int rc = expand(inner.v, inner.n, out, depth + 1);
        xfree(inner.v);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The program's own arguments, after "--", are never expanded. */
char **respfile_split(const char *text, size_t *n)
{
    struct words w = {0};
    split(text, &w);
    push(&w, NULL);
    *n = w.n - 1;
    return w.v;
}

int respfile_expand(int *argc, char ***argv)
{
    int end = 1;
    bool any = false;
    for (; end < *argc && strcmp((*argv)[end], "--"); end++)
        any |= (*argv)[end][0] == '@';
    if (!any)
        return 0;
    struct words out = {0};
    if (expand(*argv, (size_t)end, &out, 0) < 0)
        return -1;
    for (int i = end; i <= *argc; i++)
        push(&out, (*argv)[i]); /* and argv's NULL */
    *argc = (int)out.n - 1;
    *argv = out.v;
    return 0;
}
