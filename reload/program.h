/* The running program as reloads see and change it: every generation's
 * link, every object's versions, and what the last reloads did. The
 * session owns one (session/session.c); its lock allows one reload, or
 * one question about the image, at a time. */
#ifndef HOTLD_PROGRAM_H
#define HOTLD_PROGRAM_H

#include <pthread.h>

#include "databind.h"
#include "datasave.h"
#include "elfimage.h"
#include "linker.h"

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

/* The code of one generation's image. */
struct text_span {
    uintptr_t start, end;
    const struct image *image;
};

/* One applied reload, as the debugger's 'hotld history' lists it. */
struct reload_record {
    unsigned generation;
    char *report;
};

struct program {
    struct link *live;          /* generation 0; its symtab is the live one */
    struct link **gens;         /* every generation's link, gens[0] = live */
    size_t ngens, capgens;
    struct text_span *text;     /* their code, by address (textindex.c) */
    size_t ntext, captext;
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
    char *source_root;          /* source snapshots of every version */
    struct source_list first_sources; /* the first version's, until copied */
    struct link_input *current_inputs; /* what the program is linked from */
    size_t ncurrent_inputs, capcurrent_inputs;
    /* For the debugger (gdb/hotld-gdb.py reads these through DWARF): */
    struct reload_record *history; /* the last applied reloads, in order */
    size_t nhistory, caphistory;
    struct var_fate *fates;     /* the last reload's variables */
    size_t nfates;
    char *last_report;          /* of the last reload, or its error */
    struct vtable_copy *vtables; /* every version's C++ vtables (vtables.c) */
    size_t nvtables, capvtables;
    /* Asked with the program's threads parked and the reload ready to
     * commit: 0 commits it, -1 (the error recorded) gives it up, leaving
     * the program as it was. Every process that runs the image must agree
     * (session/processes.c); NULL: commit. */
    int (*agree)(void);
    /* A crash's rollback (crash.c), called with the lock held, and
     * returning with it held: reload_rollback as every process of the
     * program takes part (session/); NULL: this process's alone. */
    int (*roll_back)(struct program *pg, char **report);
    bool debug_stale;           /* a generation's debug image names
                                   replaced objects as current (debugswap.c) */
    bool first_recorded;        /* gens[0]'s versions and vtables are */
    unsigned long debug_swaps;  /* generations' chunk lists replaced so far */
};

/* A C++ vtable as one version laid it out: objects that version made
 * point into it. */
struct vtable_copy {
    char *name;                 /* "_ZTV6Square" */
    uintptr_t addr;
    uint64_t size;
    int prot;
};

/* reload.c: apply a reload with new link options; fills *report (one
 * line, plus warning lines) and returns 1, or 0 if no input changed, or
 * -1 with the reason recorded and the program untouched. */
int reload_apply(struct program *pg, struct link_options *opts, char **report);
/* Copy the first version's sources (first_sources) into the snapshots,
 * once: made by the control thread after the start, and by a reload
 * before it can make that version old. pg->lock is held. */
void program_snapshot_first(struct program *pg);

/* report.c: the whole report of the last reload applied (every line, as
 * -v gives it); "" if none. */
const char *last_recorded_report(const struct program *pg);
/* vtables.c: remember where ld's objects put their vtables. */
void program_record_vtables(struct program *pg, const struct link *ld);
/* versions.c: each of ld's objects is now the current version of its name. */
void program_record_versions(struct program *pg, struct link *ld);
/* The first link's versions and vtables, once: recorded by the control
 * thread after the start, and by a reload before it reads them. pg->lock
 * is held. */
void program_record_first(struct program *pg);
/* Which reload loaded obj: the index of its generation, 0 at start. */
unsigned program_version_of(const struct program *pg, const struct object *obj);
/* Symbol names of the live table that point into obj's own bytes get a
 * copy of their own, before those bytes go. */
void program_rekey_names(struct program *pg, const struct object *obj);

/* textindex.c: the image whose code holds pc, of any generation; NULL
 * if none. A generation's code is added with program_text_add, which
 * allocates nothing once program_text_reserve made room. */
const struct image *program_text_at(const struct program *pg, uintptr_t pc);
void program_text_reserve(struct program *pg);
void program_text_add(struct program *pg, const struct image *im);

/* selfnames.c: dladdr and kin answer for the program's image, from a
 * table published (with the lock held) after the link and each reload */
void self_names_init(void);
void self_names_publish(const struct program *pg);

/* debugswap.c: with the lock held, make again the debug images that went
 * stale while no debugger was attached (pg->debug_stale). */
void refresh_debug_images(struct program *pg);
/* On the session's thread, with nothing else to do: compress one debug
 * image not compressed yet (gdb/compress.c); false if none is left. */
bool compress_debug_image(struct program *pg);
/* How many debug images the program has, their bytes, and how many of
 * them are compressed. */
struct debug_tally {
    size_t images, bytes, compressed;
};
struct debug_tally debug_images_tally(const struct program *pg);
/* One debug image for all of ld's objects, made (not registered), as a
 * list of one chunk; the current objects' sources go to *sources. */
struct debug_chunk *debug_image_whole(struct program *pg, const struct link *ld, struct source_list *sources);
/* The chunk of ld's debug image that names obj; NULL if none yet. */
const struct debug_chunk *debug_chunk_of(const struct link *ld, const struct object *obj);

/* rollback.c: with the lock held, put the objects of the last reload
 * back to their previous versions; a reload report, or -1. */
int reload_rollback(struct program *pg, char **report);
/* Is obj, as it is now, what the last reload brought? */
bool rollback_covers(const struct program *pg, const struct object *obj);

#endif
