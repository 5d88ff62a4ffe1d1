/* hotld --repl: an interactive prompt on the program's image, with GNU
 * readline's line editing, a history kept in ~/.hotld_history, and tab
 * completion of the program's function and variable names. Each line is
 * one statement (print, call, set) or a command: sizes, refs SYMBOL,
 * help, quit. Completion offers the program's names, and after "EXPR."
 * or "EXPR->" the members of EXPR's struct (asked of the image each time:
 * a reload changes them). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "query.h"
#include "readline.h"
#include "util.h"

static const char help[] =
    "  EXPR               print a value: players[2].pos.x, *ptr, &var, game.o:count\n"
    "  FN(ARGS)           call a function: add(1, 2.5), greet(\"you\"), paint(RED)\n"
    "  set VAR = VALUE    change a variable\n"
    "  sizes [N]          functions and data by size (the N largest)\n"
    "  refs SYMBOL        what references SYMBOL, and what it references\n"
    "  help, quit\n";

static char **names;            /* the completion candidates */
static size_t nnames, capnames;
static query_fn asker;          /* how the prompt asks, for completion:
                                   each time, as reloads change the names */
static void *asker_ctx;
static const struct readline_lib *rl; /* NULL: lines read as they are */

/* The candidates the answer to q lists, one per line. */
static void load_candidates(const struct query *q)
{
    struct strbuf text = {0}, doc = {0};
    for (size_t i = 0; i < nnames; i++)
        xfree(names[i]);
    nnames = 0;
    if (asker(asker_ctx, q, &text, &doc) == 0)
        for (char *line = text.s, *next; line && *line; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = 0;
            ARRAY_PUSH(names, nnames, capnames, xstrdup(line));
        }
    xfree(text.s);
    xfree(doc.s);
}

/* readline's generator: the next name that starts with text, in a block
 * readline frees (so not one of hotld's: base/owned.h). */
static char *next_name(const char *text, int state)
{
    static size_t i, len;
    if (!state) {
        i = 0;
        len = strlen(text);
    }
    while (i < nnames)
        if (!strncmp(names[i++], text, len))
            return strdup(names[i - 1]);
    return NULL;
}

/* Before a member being completed ("players[0].po", "p->ne"): where the
 * expression whose members these are starts, or -1 if the word at start
 * follows no '.' or "->". It runs back over names, '.', "->", ':' and
 * balanced brackets. */
static int member_base(const char *line, int start, int *op)
{
    if (start >= 1 && line[start - 1] == '.')
        *op = start - 1;
    else if (start >= 2 && line[start - 2] == '-' && line[start - 1] == '>')
        *op = start - 2;
    else
        return -1;
    int i = *op, depth = 0;
    while (i > 0) {
        char c = line[i - 1];
        if (c == ']')
            depth++;
        else if (c == '[' && depth)
            depth--;
        else if (!depth && !isalnum((unsigned char)c) && !strchr("_.:$", c) &&
                 !(c == '>' && i >= 2 && line[i - 2] == '-') && !(c == '-' && line[i] == '>'))
            break;
        i--;
    }
    return i < *op ? i : -1;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    *rl->attempted_completion_over = 1; /* names, not file names */
    const char *buffer = *rl->line_buffer;
    int op, base = member_base(buffer, start, &op);
    char *expression = base >= 0 ? strndup(buffer + base, op - base) : NULL;
    struct query q = {.command = expression ? "fields" : "names", .arg = expression};
    load_candidates(&q);
    free(expression);
    return rl->completion_matches(text, next_name);
}

/* A line as a query: a command word, or a statement. */
static struct query parse_line(char *line, unsigned call_timeout_ms)
{
    struct query q = {.command = "eval", .arg = line, .call_timeout_ms = call_timeout_ms};
    if (!strncmp(line, "sizes", 5) && (!line[5] || line[5] == ' ')) {
        q.command = "sizes";
        q.arg = NULL;
        q.top = strtoul(line + 5, NULL, 10);
    } else if (!strncmp(line, "refs ", 5)) {
        q.command = "refs";
        q.arg = line + 5 + strspn(line + 5, " ");
    }
    return q;
}

static void run_line(query_fn ask, void *ctx, char *line, unsigned call_timeout_ms)
{
    struct query q = parse_line(line, call_timeout_ms);
    struct strbuf text = {0}, doc = {0};
    clear_error();
    if (ask(ctx, &q, &text, &doc) < 0)
        fprintf(stderr, "error: %s\n", last_error());
    else
        fputs(text.s ? text.s : "", stdout);
    fflush(stdout);
    xfree(text.s);
    xfree(doc.s);
}

/* A line from readline on a terminal; from a pipe, as it is (readline
 * would echo it). */
static char *next_line(bool interactive)
{
    if (interactive && rl)
        return rl->readline("(hotld) ");
    if (interactive) {
        fputs("(hotld) ", stdout);
        fflush(stdout);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        xfree(line);
        return NULL;
    }
    if (n && line[n - 1] == '\n')
        line[n - 1] = 0;
    return line;
}

static char *history_path(void)
{
    const char *home = getenv("HOME");
    return home ? xasprintf("%s/.hotld_history", home) : NULL;
}

int repl_run(query_fn ask, void *ctx, unsigned call_timeout_ms)
{
    bool interactive = isatty(STDIN_FILENO);
    rl = interactive ? readline_lib() : NULL;
    if (interactive && !rl)
        warn("%s: no line editing or history", last_error());
    char *history = rl ? history_path() : NULL;
    if (rl) {
        *rl->readline_name = "hotld";
        *rl->attempted_completion_function = complete;
        *rl->basic_word_break_characters = " \t\n\"'()[],*&=-+.>";
    }
    if (history)
        rl->read_history(history);
    asker = ask, asker_ctx = ctx;
    if (interactive)
        printf("hotld: type an expression to print it, a call to make it; help for more\n");
    char *line;
    while ((line = next_line(interactive))) {
        char *s = line + strspn(line, " \t");
        for (size_t n = strlen(s); n && (s[n - 1] == ' ' || s[n - 1] == '\t');)
            s[--n] = 0; /* completion leaves a space */
        if (!strcmp(s, "quit") || !strcmp(s, "exit") || !strcmp(s, "q")) {
            xfree(line);
            break;
        }
        if (!strcmp(s, "help"))
            fputs(help, stdout);
        else if (*s)
            run_line(ask, ctx, s, call_timeout_ms);
        if (*s && rl)
            rl->add_history(s);
        xfree(line);
    }
    if (history) {
        rl->write_history(history);
        rl->history_truncate_file(history, 1000);
    }
    xfree(history);
    for (size_t i = 0; i < nnames; i++)
        xfree(names[i]);
    xfree(names);
    return 0;
}
