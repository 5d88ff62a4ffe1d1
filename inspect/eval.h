/* Evaluating hotld --print, --call and set statements against a loaded
 * image: names are found in the linker's symbol records, their types in
 * the defining object's DWARF, and their values in memory. */
#ifndef HOTLD_EVAL_H
#define HOTLD_EVAL_H

#include <pthread.h>
#include <stdbool.h>

#include "linker.h"
#include "strbuf.h"

struct eval_target {
    struct link *link;          /* by_name: the objects as they are now;
                                   symtab: the global symbols */
    pthread_mutex_t *lock;      /* held while those are read, and let go
                                   during a call (NULL: no lock) */
    uintptr_t main_thread_pointer; /* thread-local variables are shown as
                                   the main thread has them */
    void (*around_call)(void *ctx, bool begin); /* before and after a call,
                                   in the calling thread, with the lock held
                                   (NULL: nothing to do) */
    void *call_ctx;
};

/* Evaluate one statement: an expression to print, a call, or "set X =
 * V". Appends "EXPR = VALUE" (or a JSON document) to out; returns 0, or
 * -1 with fail() saying what is wrong. */
int inspect_eval(const struct eval_target *t, const char *statement, bool json, struct strbuf *out);
/* The names a statement may use, one per line, for completion. */
void inspect_names(const struct eval_target *t, struct strbuf *out);
/* The member names that may follow "EXPR." or "EXPR->", one per line,
 * for completion: those of EXPR's struct or union, or the one it points
 * to. EXPR is not evaluated if it calls a function or assigns. */
void inspect_fields(const struct eval_target *t, const char *expression, struct strbuf *out);

#endif
