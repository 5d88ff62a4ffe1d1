/* One reload, from its link to its report: what reload.c decides before
 * the threads are parked, and what the commit then does. Private to
 * reload/. */
#ifndef HOTLD_PLAN_H
#define HOTLD_PLAN_H

#include "activeness.h"
#include "pointerscan.h"
#include "elfimage.h"
#include "program.h"
#include "reuse.h"

/* An old function's entry that will jump to its new body. */
struct redirect {
    uintptr_t at, to;
    uint64_t size;              /* of the old body */
    const char *name;
    uintptr_t reach;            /* the furthest end of this body and of every
                                   one placed before it (sort_redirects) */
    const struct func *func;    /* the old version, asked whether a branch
                                   inside it leads into the bytes the jump
                                   overwrites (redirect.c's loops_back) */
    bool same;                  /* the new body is the same code (samefunc.c):
                                   a return into the old one may go to the
                                   same place in the new */
};

/* A return address in a parked thread's stack, found by its own
 * unwinding, that the commit moves from an old body to the same place in
 * the new, identical one. */
struct return_move {
    uintptr_t slot, from, to;
};

/* A thread whose outermost frame of program code is in the old body of a
 * function this reload changes: it runs on there until it returns. */
struct running_old {
    const struct redirect *in;
    uintptr_t pc;
    bool returns_to;            /* pc is a return address */
    pid_t tid;
};
#define RUNNING_OLD_TOLD 8

/* A GOT slot of a removed definition that a live weak reference (in
 * reader) shares with replaced code (of old) that may still run: it keeps
 * the old address while the symbol stays undefined. */
struct held_slot {
    const struct object *reader, *old;
    const struct symbol *sym;
};
#define HELD_SLOTS_TOLD 8

struct debug_swap;

struct plan {
    struct link *nl;
    struct redirect *redirects; /* sorted by place, once planned */
    size_t nredirects, capredirects;
    uintptr_t *inside;          /* instruction starts inside their first
                                   bytes, sorted */
    size_t ninside, capinside;
    struct return_move *moves;  /* found in the last stop */
    size_t nmoves, capmoves;
    struct bind_result binds;
    size_t changed, added, removed;     /* functions */
    struct moved_set moved;     /* live symbols whose address changes */
    struct moved_set moved_data; /* those of them that are writable variables */
    struct object **removed_objs;
    size_t nremoved_objs, capremoved_objs;
    struct object **replaced;   /* per new object: the version it replaces */
    struct debug_swap *swaps;
    size_t nswaps;
    struct source_list sources; /* of the new objects, for snapshots */
    struct activeness act;      /* old code that uses displaced variables */
    struct running_old running[RUNNING_OLD_TOLD]; /* found at the commit */
    size_t nrunning;
    struct held_slot held[HELD_SLOTS_TOLD]; /* found at the commit */
    size_t nheld;
    /* A version brought back (reuse.c): the earlier reload whose image
     * becomes current again; nl was only its rehearsal. */
    struct link *again;
    struct entry_restore *restores; /* its entries that jump on */
    size_t nrestores;
    struct data_save save;      /* the replaced objects' variables */
    struct var_copy *put_back;  /* a rollback's: their saved values */
    size_t nput_back;
    struct pointer_scan pointers; /* to moved storage, rewritten */
    struct overwrite *overwrites; /* registry.c, vtables.c */
    size_t noverwrites, capoverwrites;
    struct library_slot *library_slots; /* pluginrefs.c: rewritten at the commit */
    size_t nlibrary_slots, caplibrary_slots;
};

/* A word of a library loaded since the program (its GOT slot, or data
 * relocated against the program's symbol) that holds an exported
 * variable's address: at the commit it gets the new one. */
struct library_slot {
    uintptr_t at;
    uint64_t value;
    int prot;                   /* the page's protection, kept */
};

/* gcroots.c: a garbage collector that found its roots in the program's
 * image at the start (druntime's) gets the reload's writable segments
 * too, before the commit, and loses them if the reload fails; a reload
 * that adds thread-local variables it could not scan is refused. */
int gc_roots_check(const struct plan *p);
void gc_roots_add(const struct plan *p);
void gc_roots_remove(const struct plan *p);

/* registry.c: a new object's part of a registry section is copied over
 * its first version's part, which the program's __start_/__stop_ bounds
 * cover (an overwrite, patch.h); -1 with fail() if it cannot be. */
int plan_registries(struct program *pg, struct plan *p);
/* pluginrefs.c: exported symbols that move or go while a library loaded
 * since refers to them: its words that hold the old address are planned
 * (library_slots), one that cannot be followed refuses the reload, and
 * one that goes is a warning */
int plugin_refs_check(struct plan *p);
/* At the commit, threads parked: the planned words get the new address. */
int plugin_refs_commit(const struct plan *p);

/* vtables.c: C++ vtables whose methods changed slots are copied over the
 * tables objects made earlier point to (overwrites); a vtable that
 * changed size is a conflict that --on-conflict decides. Run after every
 * new object's function addresses are known (funcaddr_keep). */
int plan_vtables(const struct program *pg, struct plan *p);

/* redirect.c: the entries of the versions new replaces, to jump to its
 * functions; -1 with fail() if a jump cannot reach. */
int plan_redirects(struct program *pg, struct plan *p, struct object *new);
/* The function of any generation whose body starts at `body`, and its
 * object; NULL if none. */
const struct func *function_starting_at(const struct program *pg, uintptr_t body, const struct object **obj);
/* Redirects for new's global functions that another object defined. */
int plan_moved_functions(const struct program *pg, struct plan *p, const struct object *new);
/* A global function f of new that another object defined until now: the
 * live function it replaces (NULL if none). */
const struct func *function_moved_in(const struct program *pg, const struct object *new, const struct func *f);
/* A function f of old that moved out of its object with new: a global
 * another object of new's link defines from now on, or a member of a
 * COMDAT group that is now kept from another object. */
bool function_moved_out(const struct program *pg, const struct object *old, const struct object *new,
                        const struct func *f);
/* Does `other` (another version of f's object) have f's section,
 * discarded: a COMDAT group kept from another object there? A static
 * function only an inline one calls is in the inline one's group, and
 * moves with it. */
bool moved_with_group(const struct object *other, const struct func *f);
void sort_redirects(struct plan *p);
/* The redirect of a body that holds pc and that `wanted` accepts, or NULL:
 * a binary search of the sorted redirects, not a walk through them (it is
 * asked of every word of every parked thread's stack). */
const struct redirect *redirect_holding(const struct plan *p, uintptr_t pc,
                                        bool (*wanted)(const struct redirect *r, uintptr_t pc));
/* With the world stopped: no thread would resume inside the bytes a
 * redirect overwrites, once the return addresses it plans (p->moves) are
 * moved to the same code in the new bodies; else false, with the
 * function in *blocker. */
bool redirects_are_safe(struct plan *p, const char **blocker);
/* At the commit: the return addresses planned move to the new bodies. */
void move_returns(const struct plan *p);
/* The same for the thread that commits: it may be a program thread (at
 * hotld_poll(), or rolling back after a crash), with frames below. */
bool own_stack_is_safe(const struct plan *p, const char **blocker);
/* Does a reload make f's entry jump to its next version? */
bool func_is_redirectable(const struct func *f);
/* Is offset of sec, a section of a replaced version, in the first bytes of
 * a function whose entry a reload turned into a jump? Its functions must
 * be known already (object_functions): this runs at the commit. */
bool in_redirected_entry(const struct section *sec, uint64_t offset);
int apply_redirects(struct plan *p);

/* debugswap.c: what a debugger sees changes with the program. */
void prepare_debug_images(struct program *pg, struct plan *p);
void retire_debug_images(struct plan *p);
void publish_debug_images(struct program *pg, struct plan *p);
void rename_image_files(struct plan *p);
void free_debug_swaps(struct plan *p);

/* commit.c: everything the commit needs from the heap, taken before the
 * threads are parked; then, with them parked, the commit itself
 * (-1 with fail() if a page of the program could not be patched). */
void prepare_commit(struct program *pg, struct plan *p);
int commit(struct program *pg, struct plan *p);

/* report.c */
char *describe(const struct program *pg, const struct plan *p, double ms, bool each, const char *not_whole);
void record_reload(struct program *pg, struct plan *p, const char *report);

/* running.c: the committing thread's own frames, before the stop (its
 * stack is the same at the commit, and unwinding may allocate); then,
 * with the others parked, theirs. */
void find_running_old_code_here(const struct program *pg, struct plan *p);
void find_running_old_code(const struct program *pg, struct plan *p);

#endif
