/* --watch follows sources, not only objects. The compilation database
 * the build wrote (compile_commands.json: CMake, Meson, `ninja -t
 * compdb`, bear), found next to the objects or above them, says how each
 * object of the program is compiled; the depfile the compiler wrote
 * beside it (OBJ.d or OBJ without .o plus .d) says which files went into
 * it, headers too; without one (Ninja keeps them in its own log), the
 * object's DWARF line tables do, and its source file always does. When one of those
 * files is saved, the objects that used it are compiled again with their
 * own commands, where the build puts them, several at once; the watcher
 * then reloads them as one reload. A compile that fails leaves the
 * program as it is: the compiler's messages are shown as it wrote them,
 * and the next good save recovers. */
#include "sources.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "forkgate.h"
#include "respfile.h"
#include "srcfiles.h"
#include "session.h"
#include "strbuf.h"
#include "util.h"

struct unit {                   /* one object of the program and its command */
    char *object, *dir, *source;
    char **argv;
    bool stale;                 /* a file it uses changed since its compile */
};

static struct unit *units;
static size_t nunits, capunits;

static char *joined(const char *dir, const char *path)
{
    return path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", dir, path);
}

static const char *field(json_object *entry, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(entry, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

/* The entry's command as words: "arguments", or "command" split. */
static char **entry_argv(json_object *entry)
{
    json_object *args;
    if (json_object_object_get_ex(entry, "arguments", &args) && json_object_is_type(args, json_type_array)) {
        size_t n = json_object_array_length(args);
        char **v = xcalloc(n + 1, sizeof *v);
        for (size_t i = 0; i < n; i++)
            v[i] = xstrdup(json_object_get_string(json_object_array_get_idx(args, i)));
        return v;
    }
    const char *command = field(entry, "command");
    size_t n;
    return command ? respfile_split(command, &n) : NULL;
}

/* The object an entry writes: its "output", or what follows -o. */
static const char *entry_output(json_object *entry, char **argv)
{
    const char *out = field(entry, "output");
    for (size_t i = 0; !out && argv[i]; i++)
        if (!strcmp(argv[i], "-o") && argv[i + 1])
            out = argv[i + 1];
        else if (!strncmp(argv[i], "-o", 2) && argv[i][2])
            out = argv[i] + 2;
    return out;
}

static bool is_input(const struct link_options *o, const char *path)
{
    for (size_t i = 0; i < o->ninputs; i++)
        if (!o->inputs[i].is_lib && !strcmp(o->inputs[i].arg, path))
            return true;
    return false;
}

static void load_database(const char *file, const struct link_options *o)
{
    json_object *db = json_object_from_file(file);
    if (!db || !json_object_is_type(db, json_type_array)) {
        warn("--watch: %s: not a compilation database: %s", file, json_util_get_last_err());
        json_object_put(db);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(db); i++) {
        json_object *entry = json_object_array_get_idx(db, i);
        const char *dir = field(entry, "directory");
        char **argv = dir ? entry_argv(entry) : NULL;
        const char *out = argv && argv[0] ? entry_output(entry, argv) : NULL;
        char *object = out ? joined(dir, out) : NULL;
        char *canonical = object ? xstrdup(path_absolute(object, NULL)) : NULL;
        const char *source = field(entry, "file");
        if (canonical && source && is_input(o, canonical)) {
            struct unit u = {canonical, xstrdup(dir), joined(dir, source), argv, false};
            ARRAY_PUSH(units, nunits, capunits, u);
        } else {
            xfree(canonical);
            for (size_t k = 0; argv && argv[k]; k++)
                xfree(argv[k]);
            xfree(argv);
        }
        xfree(object);
    }
    json_object_put(db);
}

/* compile_commands.json in the directory of an object or above it. */
static char *find_database(const char *object)
{
    char *dir = xstrdup(object);
    for (char *slash; (slash = strrchr(dir, '/'));) {
        *slash = 0;
        char *candidate = xasprintf("%s/compile_commands.json", dir[0] ? dir : "");
        if (access(candidate, R_OK) == 0) {
            xfree(dir);
            return candidate;
        }
        xfree(candidate);
    }
    xfree(dir);
    return NULL;
}

/* The prerequisites of the depfile's first rule ("obj: a.c b.h \"), as
 * make reads them: backslash-newline continues, "\ " is a space. */
static void depfile_files(const char *text, const char *dir, void (*each)(const char *path, void *ctx), void *ctx)
{
    const char *p = strstr(text, ": ");
    if (!p && !(p = strchr(text, ':')))
        return;
    for (p++;;) {
        while (*p == ' ' || *p == '\t' || (*p == '\\' && p[1] == '\n') || (*p == '\\' && p[1] == '\r'))
            p += *p == '\\' ? 2 : 1;
        if (!*p || *p == '\n')
            return;
        struct strbuf word = {0};
        sb_printf(&word, "%s", "");
        for (; *p && *p != ' ' && *p != '\t' && *p != '\n' && !(*p == '\\' && p[1] == '\n'); p++) {
            if (*p == '\\' && p[1] == ' ')
                p++;
            sb_append(&word, p, 1);
        }
        char *path = joined(dir, word.s);
        each(path, ctx);
        xfree(path);
        xfree(word.s);
    }
}

/* The files the object's DWARF names (read from the file as it is). */
static void object_files(const struct unit *u, void (*each)(const char *path, void *ctx), void *ctx)
{
    struct strbuf bytes = {0};
    if (sb_read_file(&bytes, u->object) == 0 && bytes.len)
        dwarf_source_files(bytes.s, bytes.len, each, ctx);
    xfree(bytes.s);
}

/* The files an object was made from: its source, and its depfile's or
 * its DWARF's. */
static void unit_files(const struct unit *u, void (*each)(const char *path, void *ctx), void *ctx)
{
    size_t n = strlen(u->object);
    char *candidates[2] = {xasprintf("%s.d", u->object),
                           n > 2 && !strcmp(u->object + n - 2, ".o") ? xasprintf("%.*s.d", (int)n - 2, u->object)
                                                                      : NULL};
    char *text = NULL;
    for (int i = 0; i < 2 && !text; i++)
        text = candidates[i] ? sb_file_text(candidates[i]) : NULL;
    if (u->source)
        each(u->source, ctx);
    if (text)
        depfile_files(text, u->dir, each, ctx);
    else
        object_files(u, each, ctx);
    xfree(text);
    xfree(candidates[0]);
    xfree(candidates[1]);
}

/* The system's headers do not change under a program being edited. */
static void watch_one(const char *path, void *ctx)
{
    const char *abs = path_absolute(path, NULL);
    if (strncmp(abs, "/usr/", 5) && strncmp(abs, "/lib/", 5))
        watch_source(abs, ctx);
}

size_t sources_load(const struct link_options *o)
{
    char **seen = NULL;
    size_t nseen = 0, capseen = 0;
    for (size_t i = 0; i < o->ninputs; i++) {
        char *db = o->inputs[i].is_lib ? NULL : find_database(o->inputs[i].arg);
        bool known = false;
        for (size_t k = 0; db && k < nseen; k++)
            known |= !strcmp(seen[k], db);
        if (db && !known) {
            load_database(db, o);
            ARRAY_PUSH(seen, nseen, capseen, db);
        } else {
            xfree(db);
        }
    }
    for (size_t k = 0; k < nseen; k++)
        xfree(seen[k]);
    xfree(seen);
    return nunits;
}

/* With a build command, every object is a unit, made by the build. */
static void units_of_inputs(const struct link_options *o)
{
    for (size_t i = 0; i < o->ninputs; i++)
        if (!o->inputs[i].is_lib) {
            struct unit u = {xstrdup(o->inputs[i].arg), xstrdup(o->inputs[i].arg), NULL, NULL, false};
            *strrchr(u.dir, '/') = 0; /* inputs are absolute */
            ARRAY_PUSH(units, nunits, capunits, u);
        }
}

size_t sources_start(const struct link_options *o, bool by_build)
{
    if (by_build)
        units_of_inputs(o);
    else
        sources_load(o);
    for (size_t i = 0; i < nunits; i++)
        unit_files(&units[i], watch_one, &units[i]);
    return nunits;
}

void sources_changed(void *unit)
{
    ((struct unit *)unit)->stale = true;
}

struct job {
    pid_t pid;
    int out;                    /* the compiler's stdout and stderr */
    struct unit *unit;
};

static bool spawn(struct job *j, struct unit *u, char *const *argv)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addchdir_np(&fa, u->dir);
    extern char **environ;
    int err = posix_spawnp(&j->pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (err) {
        close(fds[0]);
        fprintf(watch_log(), "hotld: error: %s: cannot run %s: %s\n", u->object, u->argv[0], strerror(err));
        return false;
    }
    j->out = fds[0];
    j->unit = u;
    return true;
}

/* Wait for the job; its messages go to the log as the compiler wrote
 * them (file:line: error: ..., which editors jump to). A compiler takes
 * seconds: the program's forks do not wait for it (forkgate.h). */
static bool finish(struct job *j)
{
    char buf[4096];
    ssize_t n;
    FILE *log = watch_log();
    for (;;) {
        forkgate_wait_begin();
        n = read(j->out, buf, sizeof buf);
        forkgate_wait_end();
        if (n > 0)
            fwrite(buf, 1, (size_t)n, log);
        else if (n == 0 || errno != EINTR)
            break;
    }
    close(j->out);
    int status = 0;
    forkgate_wait_begin();
    while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
        ;
    forkgate_wait_end();
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok)
        fprintf(log, "hotld: %s did not compile: the program keeps running its last good code\n", j->unit->object);
    else
        j->unit->stale = false;
    fflush(log);
    return ok;
}

int sources_compile(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t width = cores > 0 ? (size_t)cores : 1, running = 0, next = 0;
    struct job *jobs = xcalloc(width, sizeof *jobs);
    bool all = true;
    for (;;) {
        while (running < width && next < nunits) {
            struct unit *u = &units[next++];
            if (u->stale && spawn(&jobs[running], u, u->argv))
                running++;
            else if (u->stale)
                all = false;
        }
        if (running == 0)
            break;
        all &= finish(&jobs[0]); /* the oldest: jobs finish in about that order */
        memmove(jobs, jobs + 1, --running * sizeof *jobs);
    }
    xfree(jobs);
    return all ? 0 : -1;
}

/* The unit whose source is path, or NULL. */
static struct unit *unit_of(const char *path)
{
    char cwd[PATH_MAX];
    const char *abs = path_absolute(path, getcwd(cwd, sizeof cwd) ? cwd : NULL);
    for (size_t i = 0; i < nunits; i++)
        if (!strcmp(path_absolute(units[i].source, NULL), abs))
            return &units[i];
    return NULL;
}

int sources_recompile(const char *path, bool unoptimized)
{
    struct unit *u = unit_of(path);
    if (!u)
        return fail("%s: no object of the program is compiled from it (by the build's compile_commands.json)", path);
    size_t n = 0;
    while (u->argv[n])
        n++;
    char **argv = xcalloc(n + 4, sizeof *argv);
    memcpy(argv, u->argv, n * sizeof *argv);
    if (unoptimized) { /* the last -O wins: the command's own, then these */
        argv[n] = "-O0";
        argv[n + 1] = "-g";
    }
    struct job j;
    bool ok = spawn(&j, u, argv) && finish(&j);
    xfree(argv);
    return ok ? 0 : fail("%s did not compile", u->object);
}

int sources_build(const char *command)
{
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    struct unit u = {.object = (char *)command, .dir = ".", .argv = argv};
    struct job j;
    if (!spawn(&j, &u, argv) || !finish(&j))
        return -1;
    for (size_t i = 0; i < nunits; i++)
        units[i].stale = false;
    return 0;
}
