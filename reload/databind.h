/* Carrying a reloaded object's variables over to its new version
 * (databind.c), and the migrations the commit applies (migrate.c). */
#ifndef HOTLD_DATABIND_H
#define HOTLD_DATABIND_H

#include "linker.h"

/* A variable moved: its old value goes to its new place. */
struct var_copy {
    uintptr_t from, to;
    size_t size;
};

/* A constant whose new version has another value (constants.c): the
 * program's pointers into the old one follow, no bytes are copied. */
struct constant_move {
    uintptr_t from, to;
    size_t size;                /* the old one's */
    bool start_only;            /* resized: only pointers to its start follow */
    const char *name;           /* its symbol, for warnings */
};

/* What a reload did with one variable, for the debugger's "hotld vars". */
struct var_fate {
    char *name;
    char *object;
    const char *fate;           /* "kept", "moved", "migrated", "user-migrated",
                                   "reset", "new" or "removed" */
    uintptr_t addr;             /* where it lives now (removed: its last
                                   value, which nothing reads) */
    uint64_t size;
};

/* A variable whose type changed in a way its value can follow: at the
 * commit, the old value is carried into the new storage (which holds the
 * new initial value) field by field. plan: a struct type_plan
 * (dwarf/typeinfo.h). */
struct var_migration {
    uintptr_t from, to;         /* a thread-local variable: offsets from
                                   the thread pointer, once prepared */
    uint64_t old_size;
    struct type_plan *plan;
    void (*user)(const void *old, void *new); /* hotld_migrate_NAME, if any */
    const struct symbol *tls;   /* thread-local: the new variable */
    const char *name;           /* its symbol's */
};

struct bind_result {
    size_t kept, moved, migrated, user_migrated, reset, added, removed;
    struct var_fate *fates;
    size_t nfates, capfates;
    struct var_copy *copies;    /* moved variables: old value -> new place */
    size_t ncopies, capcopies;
    struct constant_move *repoints;
    size_t nrepoints, caprepoints;
    struct object **construct;  /* replaced objects whose constructors set
                                   only variables new in this version: they
                                   run before the commit */
    size_t nconstruct, capconstruct;
    struct var_migration *migrations;
    size_t nmigrations, capmigrations;
    char **notes;               /* what each migration changed */
    size_t nnotes, capnotes;
    char **warnings;
    size_t nwarnings, capwarnings;
    bool *reset_found;          /* per --reset name: a variable it names was
                                   reset (or is new); NULL if none was */
    const struct symbol **displaced; /* old variables whose storage moves
                                   (migrated, reset, moved): old code that
                                   uses them must not be running */
    size_t ndisplaced, capdisplaced;
};
/* new's variables: old's kept, carried or not (old NULL: an added object),
 * and those moved in from another object nl replaces or removes. */
int databind_object(const struct link *nl, struct object *old, struct object *new, struct bind_result *r);
/* The variables of old, which nl removes, that no other object takes. */
void databind_removed(const struct link *nl, struct object *old, struct bind_result *r);
/* Has new, added by nl, a variable moved in from another object? */
bool databind_moved_into(const struct link *nl, const struct object *new);
/* The length of a variable's symbol name without the ".N" gcc gives
 * function statics (N changes as statics are added). */
size_t symbol_base_length(const char *name);
/* resets.c: which of the names --reset gave wants the variable whose
 * symbol is `symbol`: its name, that name without gcc's ".N", its C++
 * name or that name's last components (demangles_to: "Game::players",
 * "players"), or clang's "function.NAME"; -1 if none. */
int reset_wanted(const struct link_options *o, const char *symbol);
/* Every --reset name reached a variable of the reload's objects; else -1
 * with fail() naming the first that did not. */
int resets_done(const struct link_options *o, const struct bind_result *r);
/* Is s one of obj's variables, whose value a reload keeps or carries? */
bool is_state_variable(const struct symbol *s, const struct object *obj);
void bind_result_free(struct bind_result *r);
void migrations_prepare(struct bind_result *r);
/* tps: the thread pointers of every thread that runs program code. */
void migrations_apply(const struct bind_result *r, const uintptr_t *tps, size_t ntps);

#endif
