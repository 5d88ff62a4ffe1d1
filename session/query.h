/* hotld --sizes, --refs, --print, --call and --repl: questions about a
 * program's image. A running session answers them about the program as
 * it is now: asked with no files, or with the program's own command line
 * (files of which it has loaded one). Otherwise the command answers them
 * itself from the files it is given (reading them for --sizes and --refs;
 * linking and loading them, constructors run but not main, for --print
 * and --call). */
#ifndef HOTLD_QUERY_H
#define HOTLD_QUERY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "control.h"
#include "eval.h"
#include "linker.h"
#include "strbuf.h"

struct query {
    const char *command;        /* "sizes", "refs", "eval", "names" or
                                   "fields" (a completion's members) */
    const char *arg;            /* refs: the symbol; eval: the statement */
    bool json;
    size_t top;                 /* sizes: the N largest only */
    const char *graph;          /* "svg" or "dot": a drawing, in place of
                                   the text unless table */
    bool table;                 /* --table: the text with the drawing */
    unsigned call_timeout_ms;   /* eval: a call's time limit; 0: none */
    const struct link_options *program; /* the command's files, if any: the
                                   session answers only if it loaded one */
};

void query_encode(const struct query *q, struct message *m);
/* The query of a message made by query_encode (fields point into it);
 * -1 with fail() if it is malformed. */
int query_decode(const struct message *m, struct query *q);
/* Answer q about t's image as it is now (eval.h: its link, the lock
 * that guards it): the text, and the drawing if one was asked for.
 * Returns 0, or -1 with fail(). */
int query_answer(const struct query *q, const struct eval_target *t, struct strbuf *text, struct strbuf *doc);

/* The command's side: ask the session at socket_path, or answer from
 * opts' files when none runs. graph_file: where to write the drawing.
 * Returns hotld's exit status. */
int query_main(const struct query *q, const char *graph_file, const char *socket_path,
               const struct link_options *opts);
/* Send q to the session at socket_path and take its answer; -1 with
 * fail() if it answers with an error, QUERY_NOT_ASKED (no fail()) if no
 * session runs there or it runs another program. */
#define QUERY_NOT_ASKED (-2)
int query_remote(const char *socket_path, const struct query *q, struct strbuf *text, struct strbuf *doc);

/* repl.c: the interactive prompt, over query_remote or query_answer;
 * call_timeout_ms: every call's time limit (0: none). */
typedef int (*query_fn)(void *ctx, const struct query *q, struct strbuf *text, struct strbuf *doc);
int repl_run(query_fn ask, void *ctx, unsigned call_timeout_ms);

#endif
