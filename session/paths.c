#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"
#include "util.h"

/* Paths are sent to the session and compared with what it loaded, so both
 * sides name files the same way: absolute, with "." and ".." folded
 * lexically (no system calls: a program may have a thousand inputs). */
static bool is_plain(const char *path)
{
    return !strstr(path, "/.") && !strstr(path, "//") && path[0] != '.';
}

const char *path_absolute(const char *path, const char *cwd)
{
    if (cwd && path[0] != '/' && is_plain(path)) { /* the usual "dir/x.o" */
        size_t a = strlen(cwd), b = strlen(path);
        char *out = xmalloc(a + b + 2);
        memcpy(out, cwd, a);
        out[a] = '/';
        memcpy(out + a + 1, path, b + 1);
        return out;
    }
    char *full = path[0] == '/' || !cwd ? xstrdup(path) : xasprintf("%s/%s", cwd, path);
    char *out = full, *save = NULL;
    char *copy = xstrdup(full);
    size_t len = 0;
    for (char *part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
        if (!strcmp(part, "."))
            continue;
        if (!strcmp(part, "..")) {
            while (len > 0 && out[--len] != '/')
                ;
            continue;
        }
        out[len++] = '/';
        size_t n = strlen(part);
        memcpy(out + len, part, n);
        len += n;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = 0;
    xfree(copy);
    return out;
}

void make_absolute(struct link_options *o)
{
    char buf[PATH_MAX];
    const char *cwd = getcwd(buf, sizeof buf);
    for (size_t i = 0; i < o->ninputs; i++)
        if (!o->inputs[i].is_lib)
            o->inputs[i].arg = path_absolute(o->inputs[i].arg, cwd);
    for (size_t i = 0; i < o->nlibdirs; i++)
        o->libdirs[i] = path_absolute(o->libdirs[i], cwd);
}
