/* hotld as a build's linker. Run as `ld` (gcc -B DIR finds DIR/ld, a
 * link to hotld), `ld.hotld` (gcc -fuse-ld=hotld) or `hotld-ld` (clang
 * --ld-path=), it reads the GNU ld command line that gcc and clang pass:
 *   - what it can honour, it honours: inputs, -L, -l, -Bstatic, -o, -e,
 *     -E and --dynamic-list;
 *   - what does not matter in memory it accepts silently: the C runtime's
 *     start files (hotld starts the program itself), -pie, -z, -plugin,
 *     -dynamic-linker, groups, --as-needed, --gc-sections, --build-id...;
 *   - what would change the program and cannot be done in memory is one
 *     error naming the option (-static, a linker script, --wrap...);
 *   - -shared and -r links go to the system linker unchanged.
 * The link is checked as ld would (a scratch link: an undefined symbol
 * fails the build step), the output is a copy of hotld carrying the
 * link (carried.c), and if that program is running, it is reloaded: the
 * report goes to the build's output, and a failed reload fails the step. */
#include "ldmode.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carried.h"
#include "config.h"
#include "control.h"
#include "crash.h"
#include "leaks.h"
#include "procmaps.h"
#include "respfile.h"
#include "session.h"
#include "util.h"

/* Options followed by a value that does not matter in memory. */
static const char *const ignored_with_value[] = {
    "-m", "-z", "-plugin", "-plugin-opt", "-dynamic-linker", "--dynamic-linker", "-rpath", "-R",
    "-rpath-link", "--version-script", "-soname", "-h", "--hash-style", "--build-id", "-O",
    "--sysroot", "--icf", "--compress-debug-sections", "--exclude-libs", "--thread-count",
    "--threads", "-Map", "--dependency-file", "--package-metadata", NULL,
};

/* Flags that do not matter in memory. */
static const char *const ignored[] = {
    "-pie", "--pie", "-no-pie", "--no-pie", "-Bdynamic", "-dy", "-call_shared", "--eh-frame-hdr",
    "--as-needed", "--no-as-needed", "--push-state", "--pop-state", "--start-group", "--end-group",
    "-(", "-)", "--gc-sections", "--no-gc-sections", "--no-undefined", "--fatal-warnings",
    "--no-fatal-warnings", "--enable-new-dtags", "--disable-new-dtags", "-s", "-S", "--strip-all",
    "--strip-debug", "--sort-common", "--color-diagnostics", "-X", "-x", "--discard-locals",
    "--discard-all", "--relax", "--no-relax", "--build-id", "--no-copy-dt-needed-entries",
    "--copy-dt-needed-entries", "-nostdlib", "--warn-common", "--no-warn-mismatch",
    "--demangle", "--no-demangle", "--print-gc-sections", "--no-print-gc-sections", "--error-unresolved-symbols",
    "-O1", "-O2", "-O3", "-O0", "--allow-shlib-undefined", "--no-allow-shlib-undefined",
    "-Qy", "-Qn", "--undefined-version", "--no-undefined-version", NULL,
};

/* Options that change the program in ways hotld cannot do in memory. */
static const char *const refused[] = {
    "-static", "-Bstatic-pie", "--static", "-static-pie", "--no-dynamic-linker", "-T", "--script",
    "--wrap", "--defsym", "-u", "--undefined", "--section-start", "-Ttext", "-Tdata", "-Tbss",
    "--require-defined", "-N", "--omagic", "-n", "--nmagic", NULL,
};

/* Links hotld hands to the system linker: their output is not a program. */
static const char *const system_links[] = {"-shared", "-Bshareable", "-r", "--relocatable", "-Ur", "-i", NULL};

/* Is a one of the options in list? 0: no; 1: yes, its value (if any)
 * joined ("--opt=V", "-zV"); 2: yes, its value is the next argument. */
static int option_in(const char *a, const char *const *list)
{
    for (size_t i = 0; list[i]; i++) {
        size_t n = strlen(list[i]);
        if (!strcmp(a, list[i]))
            return 2;
        if (!strncmp(a, list[i], n) && (a[n] == '=' || (n == 2 && a[n])))
            return 1;
    }
    return 0;
}

static bool flag_in(const char *a, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(a, list[i]))
            return true;
    return false;
}

/* A start file of the C runtime: hotld starts the program itself. */
static bool is_start_file(const char *path)
{
    static const char *const files[] = {"crt1.o", "Scrt1.o", "rcrt1.o", "gcrt1.o", "grcrt1.o", "Mcrt1.o",
                                        "crti.o", "crtn.o", "crtbegin.o", "crtbeginS.o", "crtbeginT.o",
                                        "crtend.o", "crtendS.o", NULL};
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    return flag_in(base, files);
}

struct ld_line {
    char **args;                /* hotld's own command line for the link, paths absolute */
    size_t n, cap;
    const char **libdirs;       /* -L, for -Bstatic's archives */
    size_t nlibdirs, caplibdirs;
    const char *out;
    char cwd[PATH_MAX];
    bool static_libs;           /* after -Bstatic */
    bool to_system;             /* -shared, -r */
    bool version;               /* -v: say which linker this is */
    bool version_only;          /* --version: and only that, as ld */
};

static void add(struct ld_line *l, const char *arg)
{
    ARRAY_PUSH(l->args, l->n, l->cap, (char *)arg);
}

/* -lNAME after -Bstatic: the archive, found as ld finds it. */
static int static_lib(struct ld_line *l, const char *name)
{
    for (size_t i = 0; i < l->nlibdirs; i++) {
        char *path = xasprintf("%s/lib%s.a", l->libdirs[i], name);
        if (access(path, R_OK) == 0) {
            add(l, path);
            return 0;
        }
        xfree(path);
    }
    return fail("cannot find -l%s: No such file or directory (-Bstatic: an archive)", name);
}

/* The value of an option at argv[*i] ("-oX", "-o X", "--opt=X", "--opt X"). */
static const char *value_of(const char *a, int argc, char **argv, int *i, size_t len)
{
    if (a[len] == '=')
        return a + len + 1;
    if (a[len])
        return a + len;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

/* Long options ld also takes with one dash. */
static const char *const long_options[] = {
    "--export-dynamic", "--dynamic-list", "--entry", "--output", "--version", NULL,
};

/* GNU ld reads "-export-dynamic" as "--export-dynamic": a word after one
 * dash that is a long option is that option, not "-e xport-dynamic". */
static const char *as_long_option(const char *a)
{
    if (a[0] != '-' || a[1] == '-' || strlen(a) < 3)
        return a;
    char *dd = xasprintf("-%s", a);
    char *name = xasprintf("%.*s", (int)strcspn(dd, "="), dd);
    bool known = flag_in(name, long_options) || flag_in(name, ignored) || option_in(name, ignored_with_value) == 2 ||
                 option_in(name, refused) == 2 || flag_in(name, refused) || flag_in(name, system_links);
    xfree(name);
    if (known)
        return dd;
    xfree(dd);
    return a;
}

static int read_option(struct ld_line *l, int argc, char **argv, int *i)
{
    const char *a = as_long_option(argv[*i]), *v;
    int valued;
    if (flag_in(a, system_links))
        l->to_system = true;
    else if (!strcmp(a, "-v") || !strcmp(a, "-V"))
        l->version = true;
    else if (!strcmp(a, "--version"))
        l->version = l->version_only = true;
    else if (!strcmp(a, "--export-dynamic"))
        add(l, "-E");
    else if (!strncmp(a, "-o", 2) || !strncmp(a, "--output", 8))
        l->out = value_of(a, argc, argv, i, a[1] == 'o' ? 2 : 8);
    else if (!strcmp(a, "-Bstatic") || !strcmp(a, "-dn") || !strcmp(a, "-non_shared"))
        l->static_libs = true;
    else if (!strcmp(a, "-Bdynamic") || !strcmp(a, "-dy") || !strcmp(a, "-call_shared"))
        l->static_libs = false;
    else if (!strncmp(a, "-L", 2) && (v = value_of(a, argc, argv, i, 2))) {
        v = path_absolute(v, l->cwd);
        ARRAY_PUSH(l->libdirs, l->nlibdirs, l->caplibdirs, v);
        add(l, xasprintf("-L%s", v));
    } else if (!strncmp(a, "--dynamic-list", 14) && (v = value_of(a, argc, argv, i, 14)))
        add(l, xasprintf("--dynamic-list=%s", path_absolute(v, l->cwd)));
    else if ((!strncmp(a, "-e", 2) || !strncmp(a, "--entry", 7)) && (v = value_of(a, argc, argv, i, a[1] == 'e' ? 2 : 7)))
        add(l, xasprintf("--entry=%s", v));
    else if (!strncmp(a, "-l", 2) && (v = value_of(a, argc, argv, i, 2)))
        return l->static_libs ? static_lib(l, v) : (add(l, xasprintf("-l%s", v)), 0);
    else if (option_in(a, refused) || flag_in(a, refused))
        return fail("linker option '%s' changes the program in a way hotld cannot do in memory "
                    "(link this program with the system linker)", argv[*i]); /* as given */
    else if ((valued = option_in(a, ignored_with_value)))
        *i += valued == 2;
    else if (!flag_in(a, ignored) && strncmp(a, "-plugin-opt=", 12) && strncmp(a, "--build-id=", 11))
        add(l, a); /* -E...: hotld's own reading says if it knows it */
    return 0;
}

static int read_line(struct ld_line *l, int argc, char **argv)
{
    if (!getcwd(l->cwd, sizeof l->cwd))
        return fail("cannot find the current directory: %s", strerror(errno));
    add(l, "hotld");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1]) {
            if (read_option(l, argc, argv, &i) < 0)
                return -1;
        } else if (!is_start_file(a)) {
            add(l, path_absolute(a, l->cwd));
        }
    }
    return 0;
}

/* Hand the link to the system linker, as it was given. */
static int system_link(char **argv)
{
    const char *ld = getenv("HOTLD_SYSTEM_LD");
    if (!ld || !*ld)
        ld = access("/usr/bin/ld.bfd", X_OK) == 0 ? "/usr/bin/ld.bfd" : "/usr/bin/ld";
    argv[0] = (char *)ld;
    execv(ld, argv);
    fprintf(stderr, "hotld: error: %s: cannot run the system linker: %s\n", ld, strerror(errno));
    return 1;
}

/* The link as ld would make it, without running it: every input read,
 * every symbol defined, every relocation applied. */
static int check_link(struct session_options *o)
{
    struct program *pg = &the_session.program;
    define_host_symbols(pg);
    crash_define(pg);
    struct link_options lo = o->link;
    lo.host = &pg->host;
    lo.scratch = true;
    make_absolute(&lo);
    struct link *ld = link_new(&lo);
    return link_load(ld);
}

/* Reload every running copy of the program; the exit status of the step
 * (1 if one of them could not be reloaded). A copy linked from other
 * files (another build tree, or a one-step `cc main.c -o prog`, whose
 * objects are the compiler's temporaries) is another program to reload:
 * it goes on as it was, and the step, a good link, succeeds. */
/* Did the running copy (a session's name ends in its process id) end,
 * now or within a second? One whose reload failed as it exited (its
 * exit began during the reload, or a signal ended it) runs nothing. */
static bool process_gone(pid_t pid)
{
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    const char *end = pid > 0 && proc_read(path, stat, sizeof stat) ? strrchr(stat, ')') : NULL;
    return !end || end[1] != ' ' || end[2] == 'Z' || end[2] == 'X'; /* a zombie runs nothing */
}

static bool copy_ended(const char *session)
{
    pid_t pid = (pid_t)atoi(strrchr(session, '.') + 1);
    for (int i = 0; i < 100; i++) {
        if (process_gone(pid))
            return true;
        usleep(10 * 1000);
    }
    return false;
}

static int reload_running(struct session_options *o, const char *out)
{
    size_t n;
    char **sessions = control_instances(carried_session(out), &n);
    int status = 0;
    make_absolute(&o->link);
    for (size_t i = 0; i < n; i++) {
        o->session = sessions[i]; /* named: its own arguments go unsaid */
        if (n > 1) /* each report says whose it is */
            printf("hotld: %s, process %s:\n", out, strrchr(sessions[i], '.') + 1), fflush(stdout);
        char *path = control_socket_path(sessions[i]);
        int fd = control_connect(path), rc = 0;
        xfree(path);
        if (fd >= 0 && (rc = client_reload(fd, o)) == CLIENT_GONE)
            rc = 0; /* that copy ended as the link came: nothing runs to reload */
        else if (rc < 0) {
            fprintf(stderr, "hotld: warning: %s: the running copy %s was linked from other files: not reloaded, "
                            "it goes on with its code\n",
                    out, strrchr(sessions[i], '.') + 1);
            rc = 0;
        }
        if (rc != 0 && copy_ended(sessions[i])) {
            fprintf(stderr, "hotld: %s: the running copy %s ended during the reload: nothing runs the old code\n",
                    out, strrchr(sessions[i], '.') + 1);
            rc = 0;
        }
        if (rc != 0)
            status = 1;
    }
    return status;
}

/* A step whose reload failed leaves no output, as a failed link does:
 * left, it would be newer than its inputs, and the next build would
 * take the program for up to date while it runs its old code. */
static int reloaded_or_removed(struct session_options *o, const char *out)
{
    if (reload_running(o, out) == 0)
        return 0;
    if (unlink(out) == 0)
        fprintf(stderr, "hotld: error: %s: removed, as a failed link's output is: the next build links and "
                        "reloads again\n",
                out);
    return 1;
}

/* rustc's objects go once the link ends: the link names kept copies,
 * which a running copy is linked from and the next build's link names
 * again, so that it reloads that copy. */
static int keep_rustc_objects(struct ld_line *l, const char *out)
{
    char *where = out[0] == '/' ? xstrdup(out) : xasprintf("%s/%s", l->cwd, out);
    int rc = 0;
    for (size_t i = 1; i < l->n && rc == 0; i++) {
        if (l->args[i][0] == '-' || !carried_made_by_rustc(l->args[i]))
            continue;
        char *kept = carried_keep_object(where, l->args[i]);
        if (kept)
            l->args[i] = kept;
        else
            rc = -1;
    }
    xfree(where);
    return rc;
}

bool ld_mode_name(const char *argv0)
{
    const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
    return !strcmp(base, "ld") || !strcmp(base, "ld.hotld") || !strcmp(base, "hotld-ld");
}

int ld_main(int argc, char **argv)
{
    struct ld_line l = {0};
    /* hotld's blocks, not a program's: a sanitizer runtime the check
     * needs is preloaded into the linker, and must not call them leaks */
    leaks_not_the_programs_begin();
    runtime_preloaded();
    if (respfile_expand(&argc, &argv) < 0 || read_line(&l, argc, argv) < 0) {
        fprintf(stderr, "hotld: error: %s\n", last_error());
        return 1;
    }
    if (l.to_system)
        return system_link(argv);
    if (l.version) { /* build tools ask which linker this is: "GNU ld" is its kind */
        printf("GNU ld compatible: hotld %s, a hot-reloading linker\n", HOTLD_VERSION);
        if (l.version_only || l.n == 1)
            return 0;
    }
    const char *out = l.out ? l.out : "a.out";
    if (keep_rustc_objects(&l, out) < 0) {
        fprintf(stderr, "hotld: error: %s\n", last_error());
        return 1;
    }
    size_t n = l.n;
    add(&l, NULL);
    static struct session_options o; /* the link keeps pointing at them */
    int rc = hotld_parse((int)n, l.args, &o);
    if (rc >= 0)
        return rc ? 1 : 0;
    if (check_link(&o) < 0) {
        restart_with_runtime(argv); /* objects built with -fsanitize= */
        fprintf(stderr, "hotld: error: %s\n", last_error());
        return 1;
    }
    if (carried_write(out, l.args + 1, n - 1) < 0) {
        fprintf(stderr, "hotld: error: %s\n", last_error());
        return 1;
    }
    return reloaded_or_removed(&o, out);
}
