/* hotld's command line: ld/cc-style options, input files, and the
 * program's own arguments after "--". */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

#include "carried.h"
#include "config.h"
#include "session.h"
#include "util.h"

static const char usage[] =
    "usage: hotld [OPTIONS] FILE... [-- PROGRAM-ARGS...]\n"
    "Link ELF objects (.o) and archives (.a) in memory and run the program.\n"
    "\n"
    "  -lNAME, -l NAME     link libNAME (.so via dlopen, or .a)\n"
    "  -LDIR, -L DIR       search DIR for -l libraries first\n"
    "  -e, --entry SYM     start at SYM instead of main\n"
    "  -rdynamic, -E, --export-dynamic\n"
    "                      export the program's symbols to the libraries it\n"
    "                      loads (plugins) and to dlsym, as ld does\n"
    "  --dynamic-list FILE export only the symbols FILE lists ({ name; ... };)\n"
    "  -Wl,OPT,..., -Xlinker OPT\n"
    "                      the options above, as gcc passes them on\n"
    "  --name NAME         argv[0] of the program (default: first object, no .o)\n"
    "\n"
    "Hot reload: run the same command again while the program runs, and the\n"
    "running session re-links only the objects whose contents changed.\n"
    "  --session NAME      name the session (default: one per current directory);\n"
    "                      an absolute path names the session's socket itself\n"
    "  --reload-only       only reload: if no session runs the program, say so\n"
    "                      and exit 1 instead of starting it\n"
    "  --status            list what the running session has loaded, and its\n"
    "                      processes (those forked from the program reload too)\n"
    "  --vars              with --status: what the last reload did with each variable\n"
    "  --watch             reload by itself when an input file changes, and when a\n"
    "                      source changes, compile it again first (its command\n"
    "                      from the build's compile_commands.json)\n"
    "  --log FILE          --watch's reports and compilers' messages go to FILE\n"
    "  --build 'CMD'       --watch, and on a save run CMD (the build) instead of\n"
    "                      compiling, then reload what it changed\n"
    "  --deopt FILE.c      compile FILE.c's object again at -O0 -g (its command from\n"
    "                      compile_commands.json) and reload it: gdb steps it line\n"
    "                      by line; --reopt FILE.c puts the build's own back\n"
    "  --reload-timeout MS wait this long for threads to reach a safe point (2000)\n"
    "  --rollback          when code a reload brought crashes inside hotld_protect(),\n"
    "                      go back to the objects' previous versions (default with\n"
    "                      --watch; --no-rollback: never)\n"
    "  --on-conflict=ask|migrate|reset|keep|abort\n"
    "                      what to do with a variable whose old value cannot\n"
    "                      follow its new type whole (ask: the default on a\n"
    "                      terminal; migrate, otherwise: carry what can follow,\n"
    "                      say what is lost, abort if nothing can follow)\n"
    "  --reset NAME        start variable NAME again from its initial value in the\n"
    "                      objects as they are now (a reload keeps values, also\n"
    "                      when an initializer changed); repeatable\n"
    "  --rewrite-pointers=all|data|none\n"
    "                      where pointers into storage a reload moves are pointed\n"
    "                      at its new place: all the program's writable memory\n"
    "                      (heap, stacks, TLS: the default), its data, or nowhere\n"
    "\n"
    "The program's image: ask the running session, or, given FILEs and no\n"
    "session, read them (--sizes, --refs) or load them without running main.\n"
    "  --print EXPR        print a value: 'players[2].pos.x', '*p', 'game.o:count'\n"
    "  --call 'FN(ARGS)'   call a function, arguments from its DWARF prototype\n"
    "  --repl              a prompt for those, and 'set VAR = VALUE'\n"
    "  --pid N             ask process N, forked from the program, not the first\n"
    "  --call-timeout S    abandon a call that has not returned after S seconds\n"
    "                      (as a crashed call is); Ctrl-C abandons it too\n"
    "  --sizes             functions and data by size, per object\n"
    "  --top N             with --sizes: the N largest\n"
    "  --refs SYMBOL       what references SYMBOL, and what it references\n"
    "  --svg FILE          with --sizes: a treemap; with --refs: a graph\n"
    "                      (FILE -: on standard output), in place of the text\n"
    "  --dot FILE          with --refs: the graph for Graphviz\n"
    "  --table             with --svg or --dot: the text as well\n"
    "  --json              JSON instead of text\n"
    "\n"
    "  -v, --verbose       report each link phase and its time, and in a reload's\n"
    "                      report what became of every variable\n"
    "  -h, --help          show this help\n"
    "  --version           show the version\n"
    "  @FILE               more arguments, read from FILE (as gcc and ld read it)\n"
    "\n"
    "As a build's linker (gcc -B DIR, where DIR/ld is hotld; clang --ld-path=hotld-ld),\n"
    "hotld takes GNU ld's command line and writes at -o an executable that runs the\n"
    "program under hotld; linking again while it runs reloads it (README).\n"
    "Usage errors exit 2; a failed link or reload exits 1.\n";

/* Which of the NULL-terminated words v is; -1, said, if none. */
static int option_choice(const char *opt, const char *v, const char *const *words, const char *listed)
{
    for (int i = 0; words[i]; i++)
        if (!strcmp(v, words[i]))
            return i;
    fprintf(stderr, "hotld: error: %s: %s\n", opt, listed);
    return -1;
}

/* The value of an option given as "-xVALUE", "-x VALUE", "--opt=VALUE" or
 * "--opt VALUE"; NULL if arg is not that option. */
static const char *option_value(int argc, char **argv, int *i, const char *opt)
{
    const char *arg = argv[*i];
    size_t n = strlen(opt);
    if (strncmp(arg, opt, n))
        return NULL;
    if (arg[n] == '=' && opt[1] == '-')
        return arg + n + 1;
    if (arg[n] && opt[1] != '-')
        return arg + n;
    if (arg[n])
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "hotld: error: option %s needs a value\n", opt);
        exit(2);
    }
    return argv[++*i];
}

/* "2.5" seconds as milliseconds; UINT_MAX if it is not a number of
 * seconds above 0 (and below a month). */
static unsigned seconds_to_ms(const char *v)
{
    char *end;
    double s = strtod(v, &end);
    return *v && !*end && s > 0 && s < 30 * 86400.0 && s * 1000 >= 1 ? (unsigned)(s * 1000) : UINT_MAX;
}

/* The options of a question about the image (query.h); false if arg is
 * none of them. */
static bool query_option(int argc, char **argv, int *i, struct session_options *o)
{
    struct query *q = &o->query;
    const char *a = argv[*i], *v;
    bool command = true;
    if ((v = option_value(argc, argv, i, "--print")) || (v = option_value(argc, argv, i, "--call")))
        q->command = "eval", q->arg = v;
    else if ((v = option_value(argc, argv, i, "--refs")))
        q->command = "refs", q->arg = v;
    else if (!strcmp(a, "--sizes"))
        q->command = "sizes";
    else if (!strcmp(a, "--repl"))
        q->command = NULL;
    else if ((command = false, v = option_value(argc, argv, i, "--top")))
        q->top = strtoul(v, NULL, 10) ? strtoul(v, NULL, 10) : SIZE_MAX;
    else if ((v = option_value(argc, argv, i, "--call-timeout")))
        q->call_timeout_ms = seconds_to_ms(v);
    else if ((v = option_value(argc, argv, i, "--svg")))
        q->graph = "svg", o->graph_file = v;
    else if ((v = option_value(argc, argv, i, "--dot")))
        q->graph = "dot", o->graph_file = v;
    else if (!strcmp(a, "--json"))
        q->json = true;
    else if ((command = false, !strcmp(a, "--table")))
        q->table = true;
    else
        return false;
    if (command)
        o->mode = MODE_QUERY;
    return true;
}

/* Options that only some questions take. */
static int check_query(const struct session_options *o)
{
    const struct query *q = &o->query;
    const char *c = o->mode != MODE_QUERY ? "" : q->command ? q->command : "repl";
    if (q->graph && strcmp(c, "refs") && (strcmp(c, "sizes") || strcmp(q->graph, "svg")))
        return fprintf(stderr, "hotld: error: --%s goes with %s\n", q->graph,
                       !strcmp(q->graph, "svg") ? "--sizes or --refs" : "--refs"), -1;
    if (q->table && !q->graph)
        return fprintf(stderr, "hotld: error: --table goes with --svg or --dot\n"), -1;
    if (q->top == SIZE_MAX)
        return fprintf(stderr, "hotld: error: --top: a number above 0\n"), -1;
    if (q->top && strcmp(c, "sizes"))
        return fprintf(stderr, "hotld: error: --top goes with --sizes\n"), -1;
    if (q->call_timeout_ms == UINT_MAX)
        return fprintf(stderr, "hotld: error: --call-timeout: a number of seconds above 0\n"), -1;
    if (q->call_timeout_ms && strcmp(c, "eval") && strcmp(c, "repl"))
        return fprintf(stderr, "hotld: error: --call-timeout goes with --call, --print or --repl\n"), -1;
    if (q->json && (!*c || !strcmp(c, "repl")))
        return fprintf(stderr, "hotld: error: --json goes with --print, --call, --sizes or --refs\n"), -1;
    return 0;
}

/* --dynamic-list FILE. 1: taken; -1: error, said. */
static int dynamic_list_option(struct link_options *l, const char *path)
{
    if (dynamic_list_read(l, path) < 0)
        return fprintf(stderr, "hotld: error: %s\n", last_error()), -1;
    return 1;
}

/* GNU ld's options for the program's dynamic symbols, given to hotld as to
 * ld (-E, --export-dynamic, --dynamic-list=FILE) or as to gcc
 * (-rdynamic). 1: taken; 0: not one of them; -1: error, said. */
static int export_option(struct link_options *l, const char *a)
{
    if (!strcmp(a, "-E") || !strcmp(a, "--export-dynamic") || !strcmp(a, "-export-dynamic") ||
        !strcmp(a, "-rdynamic")) {
        l->exports = EXPORT_ALL;
        return 1;
    }
    if (!strncmp(a, "--dynamic-list=", 15))
        return dynamic_list_option(l, a + 15);
    return 0;
}

/* What gcc passes on to the linker: -Wl,A,B and -Xlinker A. Only the
 * options above are understood; "--dynamic-list FILE" may come as two. */
static int linker_options(struct link_options *l, const char *list, const char *whole)
{
    char *copy = xstrdup(list), *save = NULL;
    int rc = 1;
    for (char *a = strtok_r(copy, ",", &save); a && rc > 0; a = strtok_r(NULL, ",", &save)) {
        char *file = !strcmp(a, "--dynamic-list") ? strtok_r(NULL, ",", &save) : NULL;
        rc = file ? dynamic_list_option(l, file) : export_option(l, a);
        if (rc == 0)
            fprintf(stderr, "hotld: error: unknown linker option '%s' in '%s'\n", a, whole);
    }
    xfree(copy);
    return rc > 0 ? 1 : -1;
}

int hotld_parse(int argc, char **argv, struct session_options *out)
{
    struct session_options o = {.link.entry = "main", .reload_timeout_ms = 2000, .rollback = -1};
    size_t capin = 0, caplib = 0, capreset = 0;
    bool conflict_given = false;
    int i, taken;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (a[0] != '-' || !a[1]) { /* an input: most of a long command line, so first */
            struct link_input in = {a, false};
            ARRAY_PUSH(o.link.inputs, o.link.ninputs, capin, in);
        } else if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("hotld %s\n", HOTLD_VERSION);
            return 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = true;
            o.link.report_each = true; /* --watch's reports too */
        } else if ((v = option_value(argc, argv, &i, "-l"))) {
            struct link_input in = {v, true};
            ARRAY_PUSH(o.link.inputs, o.link.ninputs, capin, in);
        } else if ((v = option_value(argc, argv, &i, "-L"))) {
            ARRAY_PUSH(o.link.libdirs, o.link.nlibdirs, caplib, v);
        } else if ((v = option_value(argc, argv, &i, "--entry")) ||
                   (v = option_value(argc, argv, &i, "-e"))) {
            o.link.entry = v;
        } else if ((v = option_value(argc, argv, &i, "--name"))) {
            o.name = v;
        } else if ((v = option_value(argc, argv, &i, "--session"))) {
            if (!*v || (strchr(v, '/') && v[0] != '/')) {
                fprintf(stderr, "hotld: error: --session NAME: a name without '/', or a socket's absolute path\n");
                return 2;
            }
            o.session = v;
        } else if ((v = option_value(argc, argv, &i, "--dynamic-list"))) {
            if (dynamic_list_option(&o.link, v) < 0)
                return 2;
        } else if (!strncmp(a, "-Wl,", 4) || !strcmp(a, "-Xlinker")) {
            bool x = a[1] == 'X';
            if (x && i + 1 >= argc)
                return fprintf(stderr, "hotld: error: option -Xlinker needs a value\n"), 2;
            const char *list = x ? argv[++i] : a + 4;
            /* "-Xlinker --dynamic-list -Xlinker FILE": the file comes as the next pair */
            if (x && !strcmp(list, "--dynamic-list") && i + 2 < argc && !strcmp(argv[i + 1], "-Xlinker")) {
                i += 2;
                if (dynamic_list_option(&o.link, argv[i]) < 0)
                    return 2;
            } else if (linker_options(&o.link, list, a) < 0) {
                return 2;
            }
        } else if ((taken = export_option(&o.link, a)) != 0) {
            if (taken < 0)
                return 2;
        } else if (query_option(argc, argv, &i, &o)) {
            continue;
        } else if (!strcmp(a, "--status")) {
            o.mode = MODE_STATUS;
        } else if ((v = option_value(argc, argv, &i, "--pid"))) {
            char *end;
            long pid = strtol(v, &end, 10);
            if (*end || pid <= 0 || pid > INT32_MAX) {
                fprintf(stderr, "hotld: error: --pid: a process id\n");
                return 2;
            }
            o.pid = (pid_t)pid;
        } else if (carried_flag_is(a)) {
            continue; /* run as a carried executable (carried.c) */
        } else if (!strcmp(a, "--reload-only")) {
            o.reload_only = true;
        } else if (!strcmp(a, "--vars")) {
            o.vars = true;
        } else if (!strcmp(a, "--watch")) {
            o.watch = true;
        } else if ((v = option_value(argc, argv, &i, "--log"))) {
            o.log = v;
        } else if ((v = option_value(argc, argv, &i, "--build"))) {
            o.build = v;
            o.watch = true;
        } else if ((v = option_value(argc, argv, &i, "--deopt")) || (v = option_value(argc, argv, &i, "--reopt"))) {
            o.recompile = v;
            o.unoptimized = a[2] == 'd';
            o.reload_only = true;
        } else if (!strcmp(a, "--rollback") || !strcmp(a, "--no-rollback")) {
            o.rollback = a[2] == 'r';
        } else if ((v = option_value(argc, argv, &i, "--reload-timeout"))) {
            o.reload_timeout_ms = o.link.reload_timeout_ms = atoi(v);
            if (o.reload_timeout_ms <= 0) {
                fprintf(stderr, "hotld: error: --reload-timeout: a number of milliseconds\n");
                return 2;
            }
        } else if ((v = option_value(argc, argv, &i, "--on-conflict"))) {
            static const char *const policies[] = {[CONFLICT_RESET] = "reset", [CONFLICT_KEEP] = "keep",
                                                   [CONFLICT_ABORT] = "abort", [CONFLICT_ASK] = "ask",
                                                   [CONFLICT_MIGRATE] = "migrate", NULL};
            int p = option_choice("--on-conflict", v, policies, "ask, migrate, reset, keep or abort");
            if (p < 0)
                return 2;
            o.link.on_conflict = (enum conflict_policy)p;
            conflict_given = true;
        } else if ((v = option_value(argc, argv, &i, "--reset"))) {
            ARRAY_PUSH(o.reset, o.nreset, capreset, v);
        } else if ((v = option_value(argc, argv, &i, "--rewrite-pointers"))) {
            static const char *const reaches[] = {[POINTERS_ALL] = "all", [POINTERS_DATA] = "data",
                                                  [POINTERS_NONE] = "none", NULL};
            int r = option_choice("--rewrite-pointers", v, reaches, "all, data or none");
            if (r < 0)
                return 2;
            o.link.rewrite_pointers = (enum pointer_reach)r;
        } else {
            fprintf(stderr, "hotld: error: unknown option '%s' (see hotld --help)\n", a);
            return 2;
        }
    }
    if (check_query(&o) < 0)
        return 2;
    if (o.pid && o.mode == MODE_RUN) {
        fprintf(stderr, "hotld: error: --pid goes with --print, --call, --repl, --sizes, --refs or --status\n");
        return 2;
    }
    if (o.link.ninputs == 0 && o.mode == MODE_RUN) {
        fprintf(stderr, "hotld: error: no input files (see hotld --help)\n");
        return 2;
    }
    if (!conflict_given)
        o.link.on_conflict = isatty(STDIN_FILENO) && isatty(STDERR_FILENO) ? CONFLICT_ASK : CONFLICT_MIGRATE;
    o.argc = argc - i;
    o.argv = argv + i;
    o.hotld_argv = argv;
    *out = o;
    return -1;
}

