/* A session: one program linked in memory and run by this process, and
 * the reloads applied to it while it runs. */
#ifndef HOTLD_SESSION_H
#define HOTLD_SESSION_H

#include <pthread.h>

#include "datasave.h"
#include "linker.h"
#include "query.h"

enum session_mode { MODE_RUN, MODE_STATUS, MODE_QUERY };

struct session_options {
    struct link_options link;
    enum session_mode mode;
    const char *session;        /* --session NAME; NULL: keyed by cwd */
    const char *name;           /* argv[0] for the program; NULL: derive it */
    bool watch;                 /* reload when an input file changes */
    int rollback;               /* --rollback 1, --no-rollback 0; -1: as --watch */
    bool vars;                  /* --status --vars: the variables too */
    struct query query;         /* MODE_QUERY; no command: --repl */
    const char *graph_file;     /* --svg FILE, --dot FILE */
    int reload_timeout_ms;
    int argc;                   /* program arguments after "--" */
    char **argv;
    char **hotld_argv;          /* hotld's own, to restart it */
};

/* Every version of one object, the first one first: the versions' code
 * stays, since old frames may be in it. The current one is usually the
 * last, but a reload that brings back an earlier version's bytes makes
 * that version current again (reuse.c); so the versions most recently
 * current are listed apart. Of the others, only the first keeps its
 * records whole. */
#define VERSIONS_KEPT 4

struct version_list {
    struct object **v;
    size_t n, cap;
    size_t recent[VERSIONS_KEPT]; /* indices into v, the current first */
    size_t nrecent;
};

static inline struct object *versions_current(const struct version_list *vl)
{
    return vl->v[vl->recent[0]];
}

/* The version before the current one, NULL if there was none. */
static inline struct object *versions_previous(const struct version_list *vl)
{
    return vl->nrecent > 1 ? vl->v[vl->recent[1]] : NULL;
}

/* One version of an object's functions, for redirecting old code. */
struct version {
    struct object *obj;
    unsigned generation;
};

struct session {
    struct link *live;          /* generation 0; its symtab is the live one */
    struct link **gens;         /* every generation's link, gens[0] = live */
    size_t ngens, capgens;
    struct strmap versions;     /* object name -> struct version_list */
    struct strmap host;         /* hotld_* symbols the program may use */
    unsigned generation;
    int reload_timeout_ms;
    int argc;                   /* the program's arguments, for constructors */
    char **argv;                /* of objects a reload adds */
    pthread_mutex_t lock;       /* one reload at a time */
    const struct link *last_brought; /* the generation whose objects the
                                   last reload made current (rollback.c) */
    bool rollback;              /* crashes of new code roll back (crash.c) */
    struct data_save saved;     /* with rollback: the variables the last
                                   reload's objects replaced, as they were */
    bool rolling_back;          /* the reload running puts them back */
    uintptr_t main_thread_pointer; /* the program's main thread's, for
                                   showing thread-local variables */
    uint64_t inputs_digest;     /* of the inputs the program was linked from */
    /* For the debugger (gdb/hotld-gdb.py reads these through DWARF): */
    struct reload_record {
        unsigned generation;
        char *report;
    } *history;                 /* the last applied reloads, in order */
    size_t nhistory, caphistory;
    struct var_fate *fates;     /* the last reload's variables */
    size_t nfates;
    char *last_report;          /* of the last reload, or its error */
    volatile int gdb_reload;    /* set by the gdb helper: reload now */
    char *source_root;          /* source snapshots of every version */
    struct link_input *current_inputs; /* the program's inputs now */
    size_t ncurrent_inputs, capcurrent_inputs;
    struct link_input *fixed;   /* those inputs less the objects: archives */
    size_t nfixed, capfixed;    /* and -l libraries, in order */
};

/* Start the program, or hand the request to the session already running.
 * Returns the exit status for hotld when it does not exit with the
 * program. */
int session_main(struct session_options *o);
/* The inputs and options of a "reload" request (fields after the first),
 * into o, whose vectors the caller frees; -1 if a field is malformed. */
struct message;
int reload_request_decode(const struct message *m, struct link_options *o);

/* reload.c: apply a reload with new link options; fills *report (one
 * line, plus warning lines) and returns 1, or 0 if no input changed, or
 * -1 with the reason recorded and the program untouched. */
int reload_apply(struct session *se, struct link_options *opts, char **report);
/* Apply a reload from any hotld thread (control, watcher), directly or,
 * once the program uses hotld_poll(), through it. */
int session_reload(struct link_options *opts, char **report);
/* Each of ld's objects is now the current version of its name. */
void session_record_versions(struct session *se, struct link *ld);

/* Which reload loaded obj: the index of its generation, 0 at start. */
unsigned session_version_of(const struct session *se, const struct object *obj);
/* rollback.c: with the session's lock held, put the objects of the last
 * reload back to their previous versions; a reload report, or -1. */
int reload_rollback(struct session *se, char **report);
/* Is obj, as it is now, what the last reload brought? */
bool rollback_covers(const struct session *se, const struct object *obj);

#endif
