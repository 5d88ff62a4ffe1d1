/* Carrying a reloaded object's variables over to its new version.
 *
 * A variable of the new version that matches one of the old version (same
 * name, gcc's ".N" suffix aside, same occurrence, same size) keeps the old
 * storage: its symbol gets the old address, so named references bind to it.
 * References through the section symbol (what assemblers emit for statics)
 * are moved by a per-variable delta recorded on the section. A RIP-relative
 * reference's addend folds in the size of any immediate after the
 * displacement, so the instruction is decoded (loader/x86_64/insn.c) to find the byte
 * it targets. Should that fail, the possible targets are all considered,
 * and if they belong to variables with different deltas, the kept ones
 * among them are demoted: new storage, with their old value copied in.
 *
 * A global variable moved to another object (or to an object the reload
 * adds) matches the definition it had in the object it left, as a global
 * function moved between objects is the same function.
 *
 * When both versions have DWARF (-g), a matched variable's old and new
 * types decide instead of its size (dwarf/typematch.c): identical types
 * keep the storage; a changed type whose values can follow (fields added,
 * removed or reordered, arrays resized, integers widened) gets new storage
 * with the old values carried in field by field at the commit; any other
 * change re-initializes it, with a warning that says why. */
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "ctorvars.h"
#include "databind.h"
#include "demangle.h"
#include "localscope.h"
#include "sameinit.h"
#include "strbuf.h"
#include "typeinfo.h"
#include "util.h"

struct var {
    struct symbol *sym;
    size_t baselen;         /* name length without a ".N" suffix */
    unsigned occurrence;    /* among the object's variables of that name */
    const char *key;        /* its DWARF scope key, if the object has DWARF */
    const char *in_unit;    /* that key past the unit's file name */
    bool constructed;       /* set by its object's constructors (ctorvars.c) */
    const char *scope;      /* without a key, a numbered static's function
                               (localscope.c), if one alone refers to it */
    unsigned in_scope;      /* its occurrence among those of that scope */
};

static bool is_state_section(const struct section *s)
{
    return s->out && (s->flags & SHF_WRITE) && !(s->flags & SHF_EXECINSTR) &&
           s->type != SHT_INIT_ARRAY && s->type != SHT_FINI_ARRAY &&
           s->type != SHT_PREINIT_ARRAY && strncmp(s->name, ".data.rel.ro", 12);
}

bool is_state_variable(const struct symbol *s, const struct object *obj)
{
    return (s->type == STT_OBJECT || s->type == STT_TLS || (s->type == STT_NOTYPE && s->size)) && s->size &&
           s->file == obj && s->sec && is_state_section(s->sec) && s->kind == SYM_DEFINED;
}

size_t symbol_base_length(const char *name)
{
    size_t n = strlen(name), i = n;
    while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
        i--;
    return i > 1 && i < n && name[i - 1] == '.' ? i - 1 : n;
}

static bool same_base(const struct var *a, const struct var *b)
{
    return a->baselen == b->baselen && !memcmp(a->sym->name, b->sym->name, a->baselen);
}

static bool same_scope(const struct var *a, const struct var *b)
{
    return a->scope && b->scope && !strcmp(a->scope, b->scope);
}

/* Without keys, the same variable: of the same function, when both say
 * whose they are, else of the same rank among those of their name. */
static bool same_place(const struct var *a, const struct var *b)
{
    if (!same_base(a, b))
        return false;
    if (a->scope && b->scope)
        return same_scope(a, b) && a->in_scope == b->in_scope;
    return a->occurrence == b->occurrence;
}

/* Both versions' DWARF, when both have it. */
struct types {
    struct debug_info *old, *new;
    const struct object *old_obj, *new_obj;
};

/* Where the DWARF finds symbol s of obj: by its section and offset, or for
 * a common symbol (its section is the link's, index 0) by its index. */
static bool dwarf_place(const struct object *obj, const struct symbol *s, struct debug_place *at)
{
    if (!s->sec)
        return false;
    *at = (struct debug_place){s->sec->index, s->value};
    for (size_t i = 1; !s->sec->index && i < obj->nsyms; i++)
        if (obj->syms[i] == s) {
            *at = (struct debug_place){SHN_COMMON, i};
            return true;
        }
    return s->sec->index;
}

/* The DWARF variable of symbol s of obj, if its type was read. */
static const struct debug_var *dwarf_var(const struct debug_info *di, const struct object *obj,
                                         const struct symbol *s)
{
    struct debug_place at;
    return di && dwarf_place(obj, s, &at) ? debug_var_at(di, at.section, at.offset) : NULL;
}

/* Does s have a DIE whose type is not read? Said only for objects some
 * of whose variables have types: of one with none, the reload says so
 * once (note_unread_dwarf). */
static bool dwarf_untyped(const struct debug_info *di, const struct object *obj, const struct symbol *s)
{
    struct debug_place at;
    return di && !debug_info_types_no_variable(di) && dwarf_place(obj, s, &at) &&
           debug_var_untyped_at(di, at.section, at.offset);
}

/* obj's variables; by_ctor: per symbol index, set by its constructors
 * (NULL: not asked). */
static struct var *collect(struct object *obj, const struct debug_info *di, const bool *by_ctor, size_t *n)
{
    struct var *v = xcalloc(obj->nsyms + 1, sizeof *v);
    const char **scopes = local_scopes(obj);
    *n = 0;
    for (size_t i = 1; i < obj->nsyms; i++) {
        struct symbol *s = obj->syms[i];
        if (!is_state_variable(s, obj))
            continue;
        const struct debug_var *dv = dwarf_var(di, obj, s);
        if (dv && dv->constant && s->sec->type != SHT_NOBITS)
            continue; /* a constant the file gives: the new version's value, wherever it is */
        struct var cur = {s, symbol_base_length(s->name), 0, dv ? dv->key : NULL, dv ? dv->in_unit : NULL,
                          by_ctor && by_ctor[i], dv ? NULL : scopes[i], 0};
        for (size_t j = 0; j < *n; j++) {
            cur.occurrence += same_base(&v[j], &cur);
            cur.in_scope += same_base(&v[j], &cur) && same_scope(&v[j], &cur);
        }
        v[(*n)++] = cur;
    }
    xfree(scopes);
    return v;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct var *)a)->sym->name, ((const struct var *)b)->sym->name);
}

/* The one old variable whose key past the unit's file name is want's:
 * the object rebuilt from a file of another name (a.c's copy a_v2.c
 * compiled to a.o) keeps its statics. NULL if none, or several (an ld -r
 * object of several files). */
static struct var *find_in_renamed_unit(struct var *v, size_t n, const struct var *want)
{
    struct var *found = NULL;
    for (size_t i = 0; want->in_unit && i < n; i++)
        if (v[i].in_unit && !strcmp(v[i].in_unit, want->in_unit)) {
            if (found)
                return NULL;
            found = &v[i];
        }
    return found;
}

/* The name of v if it is a file static: its key past the unit's file
 * name is ":NAME" ("counter.c:hits"); a function static's scope has more
 * ("counter.c:tick{...}:hits"). NULL otherwise. */
static const char *file_static_name(const struct var *v)
{
    return v->in_unit && v->in_unit[0] == ':' && !strchr(v->in_unit + 1, ':') ? v->in_unit + 1 : NULL;
}

/* The external name of v (its key), or NULL if it is not external. */
static const char *external_name(const struct var *v)
{
    return v->key && !v->in_unit ? v->key : NULL;
}

/* The one old variable that is want with its linkage changed: a file
 * static made external, or the other way, of the same name (a unit has
 * one variable of a name at file scope). NULL if none, or several (an
 * ld -r object of several files). */
static struct var *find_relinked(struct var *v, size_t n, const struct var *want)
{
    const char *ext = external_name(want), *fs = file_static_name(want);
    struct var *found = NULL;
    for (size_t i = 0; (ext || fs) && i < n; i++) {
        const char *other = ext ? file_static_name(&v[i]) : external_name(&v[i]);
        if (other && !strcmp(other, ext ? ext : fs)) {
            if (found)
                return NULL;
            found = &v[i];
        }
    }
    return found;
}

/* The old variable matching want: by DWARF scope key when both have one
 * (a function static stays itself when another function gains one of the
 * same name), or by that key within a renamed unit, or with its linkage
 * changed, else by name and occurrence. */
static struct var *find(struct var *v, size_t n, const struct var *want)
{
    for (size_t i = 0; want->key && i < n; i++)
        if (v[i].key && !strcmp(v[i].key, want->key))
            return &v[i];
    struct var *renamed = find_in_renamed_unit(v, n, want);
    if (renamed)
        return renamed;
    struct var *relinked = find_relinked(v, n, want);
    if (relinked)
        return relinked;
    for (size_t i = 0; i < n; i++)
        if (!(want->key && v[i].key) && same_place(&v[i], want))
            return &v[i];
    return NULL;
}

/* The definition of n's name that leaves with another object of the
 * program, which this reload (nl) replaces or removes, whose new version
 * has no variable of that name: a global variable moved between objects
 * is the same variable, as a global function is. NULL if there is none. */
static struct symbol *moved_from(const struct link *nl, const struct object *old, const struct symbol *n)
{
    struct symbol *l = n->global ? strmap_get(&nl->opts->live->symtab, n->name) : NULL;
    if (!l || l->kind != SYM_DEFINED || !l->file || l->file == old || !l->file->superseded ||
        !is_state_variable(l, l->file))
        return NULL;
    const struct object *now = strmap_get(&nl->by_name, l->file->name);
    for (size_t i = 1; now && i < now->nsyms; i++)
        if (is_state_variable(now->syms[i], now) && !strcmp(now->syms[i]->name, n->name))
            return NULL;
    return l;
}

/* The old variable of another object that n is, moved (moved_from), with
 * that object's types in *t; NULL if none. */
static struct var *find_moved(const struct link *nl, const struct object *old, const struct var *n,
                              const struct types *new_types, struct var *from, struct types *t)
{
    struct symbol *l = moved_from(nl, old, n->sym);
    if (!l)
        return NULL;
    struct debug_info *old_types = new_types->new ? object_dwarf(l->file) : NULL;
    *t = (struct types){old_types, new_types->new, l->file, new_types->new_obj};
    const struct debug_var *dv = dwarf_var(t->old, l->file, l);
    *from = (struct var){l, symbol_base_length(l->name), 0, dv ? dv->key : NULL, dv ? dv->in_unit : NULL, false,
                         NULL, 0};
    return from;
}

bool databind_moved_into(const struct link *nl, const struct object *new)
{
    for (size_t i = 1; i < new->nsyms; i++)
        if (is_state_variable(new->syms[i], new) && moved_from(nl, NULL, new->syms[i]))
            return true;
    return false;
}

static struct var *var_at(struct var *v, size_t n, const struct section *sec, int64_t off)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].sym->sec == sec && off >= (int64_t)v[i].sym->value &&
            off < (int64_t)(v[i].sym->value + v[i].sym->size))
            return &v[i];
    return NULL;
}

static int64_t var_delta(const struct var *v, const uintptr_t *kept_at, const struct var *base)
{
    uintptr_t old = kept_at[v - base];
    return old ? (int64_t)(old - (v->sym->sec->addr + v->sym->value)) : 0;
}

/* Demote kept variables that share an ambiguous reference with a variable
 * of another delta. Returns true if anything changed. */
static bool demote_ambiguous(struct object *obj, struct var *v, size_t n, uintptr_t *kept_at)
{
    bool changed = false;
    for (size_t i = 1; i < obj->nsecs; i++) {
        const struct section *sec = &obj->secs[i];
        for (size_t k = 0; sec->out && k < sec->nrelas; k++) {
            const struct symbol *s = obj->syms[ELF64_R_SYM(sec->relas[k].r_info)];
            int64_t off[4];
            size_t m = s->type == STT_SECTION && s->sec ? reloc_target_offsets(sec, &sec->relas[k], off) : 0;
            struct var *hit[4];
            size_t nhit = 0;
            for (size_t j = 0; j < m; j++)
                if ((hit[nhit] = var_at(v, n, s->sec, off[j])))
                    nhit++;
            for (size_t j = 1; j < nhit; j++) {
                if (var_delta(hit[j], kept_at, v) == var_delta(hit[0], kept_at, v))
                    continue;
                for (size_t h = 0; h < nhit; h++)
                    if (kept_at[hit[h] - v]) {
                        kept_at[hit[h] - v] = 0;
                        changed = true;
                    }
            }
        }
    }
    return changed;
}

static bool is_kept(const struct var *v, size_t n, const uintptr_t *kept_at, const struct symbol *s)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].sym == s)
            return kept_at[i] != 0;
    return false;
}

static bool lands_on_kept(const struct var *v, size_t n, const uintptr_t *kept_at,
                          const struct section *sec, int64_t off)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].sym->sec == sec && off >= (int64_t)v[i].sym->value &&
            off < (int64_t)(v[i].sym->value + v[i].sym->size))
            return kept_at[i] != 0;
    return false;
}

/* A data section whose variables are all kept, and that nothing reaches
 * outside them, is never used in the new image: it is neither copied nor
 * relocated, so its pages are never touched and cost no memory. */
static void mark_unused_storage(struct object *obj, struct var *v, size_t n, const uintptr_t *kept_at)
{
    for (size_t i = 0; i < n; i++)
        v[i].sym->sec->storage_unused = true;
    for (size_t i = 0; i < n; i++)
        if (!kept_at[i])
            v[i].sym->sec->storage_unused = false;
    for (size_t i = 1; i < obj->nsecs; i++) {
        const struct section *from = &obj->secs[i];
        for (size_t k = 0; from->out && k < from->nrelas; k++) {
            const struct symbol *s = obj->syms[ELF64_R_SYM(from->relas[k].r_info)];
            struct section *to = s->sec;
            if (!to || !to->storage_unused || to->obj != obj)
                continue;
            if (s->type != STT_SECTION) {
                to->storage_unused = is_kept(v, n, kept_at, s);
                continue;
            }
            int64_t off[4];
            size_t m = reloc_target_offsets(from, &from->relas[k], off);
            for (size_t j = 0; j < m; j++)
                if (!lands_on_kept(v, n, kept_at, to, off[j]))
                    to->storage_unused = false;
        }
    }
}

/* What the types say of a matched pair: -1 if they cannot tell (no DWARF
 * for one of them); else a verdict, with the plan filled in. */
static int compare_types(const struct types *t, const struct var *o, const struct var *n,
                         struct type_plan *plan)
{
    const struct debug_var *ot = dwarf_var(t->old, t->old_obj, o->sym);
    const struct debug_var *nt = dwarf_var(t->new, t->new_obj, n->sym);
    if (!ot || !nt)
        return -1;
    typematch(t->old, ot->type, t->new, nt->type, plan);
    /* The DWARF comes from the objects: trust it only as far as the
     * symbols' sizes agree. */
    bool sizes_disagree = plan->verdict == TYPES_IDENTICAL && o->sym->size != n->sym->size;
    if (plan->verdict != TYPES_INCOMPATIBLE &&
        (sizes_disagree || !type_plan_within(plan, o->sym->size, n->sym->size))) {
        plan->verdict = TYPES_INCOMPATIBLE;
        xfree(plan->why);
        plan->why = xstrdup("its DWARF type does not match its symbol's size");
    }
    return plan->verdict;
}

static void add_warning(struct bind_result *r, char *w)
{
    ARRAY_PUSH(r->warnings, r->nwarnings, r->capwarnings, w);
}

static void add_migration(struct bind_result *r, const struct var *o, const struct var *n,
                          struct type_plan *plan, void (*user)(const void *, void *))
{
    struct type_plan *kept = NULL;
    if (plan) {
        kept = xmalloc(sizeof *kept);
        *kept = *plan;
    }
    struct var_migration m = {o->sym->addr, n->sym->addr, o->sym->size, kept, user,
                              n->sym->type == STT_TLS ? n->sym : NULL, n->sym->name};
    ARRAY_PUSH(r->migrations, r->nmigrations, r->capmigrations, m);
}

/* "variable 'Game::players' of game.o", the path from the current
 * directory. */
static char *variable_named(const struct var *n, const struct object *obj)
{
    char *name = source_name(n->sym->name);
    char *text = xasprintf("variable '%s' of %s", name, path_shown(obj->name));
    xfree(name);
    return text;
}

/* A line of the report with -v: "VERB 'NAME' of OBJECT[: DETAIL]". */
static void note(struct bind_result *r, const struct var *n, const struct object *obj, const char *verb,
                 const char *detail)
{
    char *name = source_name(n->sym->name);
    char *text = xasprintf("%s '%s' of %s%s%s", verb, name, path_shown(obj->name), detail ? ": " : "",
                           detail ? detail : "");
    xfree(name);
    ARRAY_PUSH(r->notes, r->nnotes, r->capnotes, text);
}

enum fate { FATE_NEW, FATE_KEPT, FATE_MIGRATED, FATE_USER, FATE_RESET, FATE_ABORT };

/* The program's own migration function for variable n, if the new object
 * defines one: void hotld_migrate_NAME(const void *old, void *new). */
static void (*user_migration(const struct object *obj, const struct var *n))(const void *, void *)
{
    char *want = xasprintf("hotld_migrate_%.*s", (int)n->baselen, n->sym->name);
    void (*fn)(const void *, void *) = NULL;
    for (size_t i = 1; i < obj->nsyms && !fn; i++) {
        const struct symbol *s = obj->syms[i];
        if (s->type == STT_FUNC && s->kind == SYM_DEFINED && s->file == obj && !strcmp(s->name, want))
            fn = (void (*)(const void *, void *))(s->call_addr ? s->call_addr : s->addr);
    }
    xfree(want);
    return fn;
}

/* A variable the object's constructors set has no initial value that
 * copying bytes could give it back (a std::string's is a constructor
 * call), and a reload does not run constructors again. */
static enum fate reset_refused(const char *asked_by, const struct var *n, const struct object *obj)
{
    char *what = variable_named(n, obj);
    fail("%s: %s gets its value from the object's constructors, which a reload does not run again (a restart "
         "does)", asked_by, what);
    xfree(what);
    return FATE_ABORT;
}

/* The letter the policy (or the user) picks: m(igrate), r(eset), k(eep
 * the old bytes), a(bort). With no one to ask, what can follow is
 * migrated and the rest aborts the reload: a whole variable is
 * re-initialized only when the user said so (reset, or at the prompt). */
static char choose(const struct object *obj, const struct var *n, const char *why, const char *types,
                   bool can_migrate, bool can_keep, bool can_reset)
{
    const struct link_options *o = obj->link->opts;
    static const char by_policy[] = {[CONFLICT_RESET] = 'r', [CONFLICT_KEEP] = 'k', [CONFLICT_ABORT] = 'a',
                                     [CONFLICT_ASK] = 'm', [CONFLICT_MIGRATE] = 'm'};
    if (o->on_conflict != CONFLICT_ASK || !o->ask) {
        char c = by_policy[o->on_conflict];
        return c == 'm' && !can_migrate ? 'a' : c;
    }
    char choices[5], *c = choices;
    if (can_migrate)
        *c++ = 'm';
    if (can_reset)
        *c++ = 'r';
    if (can_keep)
        *c++ = 'k';
    *c++ = 'a';
    *c = 0;
    char *what = variable_named(n, obj);
    char *question = xasprintf("%s: %s%s", what, why, types);
    char answer = o->ask(o->ask_ctx, question, choices);
    xfree(question);
    xfree(what);
    return answer && strchr(choices, answer) ? answer : 'a';
}

static bool is_tls(const struct var *v)
{
    return v->sym->type == STT_TLS;
}

/* What --on-conflict can do instead for a variable no one was asked
 * about: re-initialize it, unless its constructors set it (they do not
 * run again); keep its bytes, if it keeps its size. */
static const char *abort_hint(bool can_keep, bool can_reset)
{
    if (!can_reset)
        return can_keep ? ": its value cannot follow the new type (--on-conflict=keep keeps its bytes; its "
                          "constructors do not run again)"
                        : ": its value cannot follow the new type, and its constructors do not run again";
    return can_keep ? ": its value cannot follow the new type (--on-conflict=reset re-initializes it, keep keeps "
                      "its bytes)"
                    : ": its value cannot follow the new type (--on-conflict=reset re-initializes it)";
}

/* A variable whose value cannot simply follow its new type: the policy,
 * or the user, decides. plan: NULL if it cannot be migrated at all. */
static enum fate conflict(struct bind_result *r, const struct types *t, const struct var *o,
                          const struct var *n, const struct object *obj, const char *why,
                          struct type_plan *plan)
{
    bool can_keep = o->sym->size == n->sym->size && is_tls(o) == is_tls(n), can_reset = !n->constructed;
    const struct debug_var *ot = dwarf_var(t->old, t->old_obj, o->sym), *nt = dwarf_var(t->new, t->new_obj, n->sym);
    bool asking = obj->link->opts->on_conflict == CONFLICT_ASK && ot && nt;
    char *types = asking ? type_side_by_side(t->old, ot->type, t->new, nt->type) : NULL;
    char choice = choose(obj, n, why, types ? types : "", plan != NULL, can_keep, can_reset);
    xfree(types);
    char *what = variable_named(n, obj);
    enum fate fate = FATE_ABORT;
    if (choice == 'm') {
        note(r, n, obj, "migrated", plan->changes ? plan->changes : why);
        add_warning(r, plan->changes ? xasprintf("%s: migrated, with a loss: %s: %s", what, plan->changes, why)
                                     : xasprintf("%s: migrated, with a loss: %s", what, why));
        add_migration(r, o, n, plan, NULL);
        fate = FATE_MIGRATED;
    } else if (choice == 'a') {
        bool asked = obj->link->opts->on_conflict == CONFLICT_ASK && obj->link->opts->ask;
        bool policy_abort = obj->link->opts->on_conflict == CONFLICT_ABORT;
        fail("%s: %s; reload aborted%s", what, why, asked || policy_abort ? " (--on-conflict)"
                                                                          : abort_hint(can_keep, can_reset));
    } else if (choice == 'r' && !can_reset) { /* the policy's */
        fate = reset_refused("reset", n, obj);
    } else {
        bool keep = choice == 'k' && can_keep;
        add_warning(r, xasprintf("%s: %s: %s", what, why, keep ? "its old bytes kept" : "re-initialized"));
        fate = keep ? FATE_KEPT : FATE_RESET;
    }
    if (plan && fate != FATE_MIGRATED)
        type_plan_free(plan);
    xfree(what);
    return fate;
}

/* Is n a variable --reset names? Then it starts again from its initial
 * value, whatever its types say (or it is new, and does anyway). */
static bool reset_by_user(struct bind_result *r, const struct var *n, const struct object *obj)
{
    const struct link_options *o = obj->link->opts;
    int which = reset_wanted(o, n->sym->name);
    if (which < 0)
        return false;
    if (!r->reset_found)
        r->reset_found = xcalloc(o->nreset + 1, sizeof *r->reset_found);
    r->reset_found[which] = true;
    return true;
}

/* Decide one matched pair: keep, migrate, reset, or stop the reload. */
static enum fate judge_variable(struct bind_result *r, const struct types *t, const struct var *o,
                       const struct var *n, const struct object *obj)
{
    if (is_tls(o) != is_tls(n)) /* other storage: nothing to keep or carry */
        return conflict(r, t, o, n, obj, is_tls(n) ? "thread-local now" : "no longer thread-local", NULL);
    struct type_plan plan;
    int verdict = compare_types(t, o, n, &plan);
    void (*user)(const void *, void *) = verdict != TYPES_IDENTICAL ? user_migration(obj, n) : NULL;
    if (verdict >= 0 && (verdict == TYPES_IDENTICAL || user))
        type_plan_free(&plan);
    if (user) {
        add_migration(r, o, n, NULL, user);
        note(r, n, obj, "user-migrated", NULL);
        return FATE_USER;
    }
    if (verdict < 0 && o->sym->size == n->sym->size &&
        (dwarf_untyped(t->new, t->new_obj, n->sym) || dwarf_untyped(t->old, t->old_obj, o->sym))) {
        char *what = variable_named(n, obj);
        add_warning(r, xasprintf("%s: its DWARF type cannot be read: its bytes kept, judged by its size alone", what));
        xfree(what);
    }
    if (verdict == TYPES_IDENTICAL || (verdict < 0 && o->sym->size == n->sym->size))
        return FATE_KEPT;
    if (verdict < 0) {
        char *why = xasprintf("size changed (%lu -> %lu bytes), no DWARF to say how",
                              (unsigned long)o->sym->size, (unsigned long)n->sym->size);
        enum fate f = conflict(r, t, o, n, obj, why, NULL);
        xfree(why);
        return f;
    }
    if (verdict == TYPES_INCOMPATIBLE) {
        char *why = plan.why ? xstrdup(plan.why) : xstrdup("type changed");
        type_plan_free(&plan);
        enum fate f = conflict(r, t, o, n, obj, why, NULL);
        xfree(why);
        return f;
    }
    /* A thread-local variable has a value in every thread: only the plan
     * can say nothing is lost. */
    char *loss = o->sym->type != STT_TLS ? type_plan_loss(&plan, (const void *)o->sym->addr)
                 : plan.may_lose ? xstrdup("thread-local: some thread's value may not fit the new type")
                                 : NULL;
    if (!loss) {
        note(r, n, obj, "migrated", plan.changes);
        add_migration(r, o, n, &plan, NULL);
        return FATE_MIGRATED;
    }
    enum fate f = conflict(r, t, o, n, obj, loss, &plan);
    xfree(loss);
    return f;
}

/* A C++ guard variable ("_ZGV" and its object's name past "_Z", which
 * clang -O2 may give a ".N" suffix) says
 * whether its object was constructed. When the object starts again (new,
 * or reset), a kept guard would say "constructed" over storage no
 * constructor ran in: the guard starts again too, and the next use
 * constructs the object, as in a program started with this version. */
static void guards_follow_objects(struct bind_result *r, struct var *ov, size_t nold, const struct var *nv,
                                  size_t nnew, uintptr_t *kept_at, uintptr_t *old_at, enum fate *fate)
{
    for (size_t i = 0; i < nnew; i++) {
        const char *guard = nv[i].sym->name;
        if (strncmp(guard, "_ZGV", 4) || !kept_at[i])
            continue;
        for (size_t j = 0; j < nnew; j++) {
            const char *object = nv[j].sym->name;
            size_t n = nv[j].baselen;
            bool its_object = n > 2 && !strncmp(object, "_Z", 2) && strlen(guard + 4) == n - 2 &&
                              !strncmp(object + 2, guard + 4, n - 2);
            if (!its_object || (fate[j] != FATE_NEW && fate[j] != FATE_RESET))
                continue;
            const struct var *o = find(ov, nold, &nv[i]);
            kept_at[i] = old_at[i] = 0;
            fate[i] = FATE_RESET;
            r->reset++;
            if (o)
                ARRAY_PUSH(r->displaced, r->ndisplaced, r->capdisplaced, (const struct symbol *)o->sym);
        }
    }
}

/* Does the new link define o's name as a variable of another object: a
 * global moved there, which that object's binding counts? */
static bool moved_out(const struct link *nl, const struct symbol *o)
{
    const struct symbol *n = o->global ? strmap_get(&nl->symtab, o->name) : NULL;
    return n && n->kind == SYM_DEFINED && n->file && is_state_variable(n, n->file);
}

/* old's variables that nothing in the new version continues (claimed:
 * those that something does, or NULL): their last values stay in old's
 * storage, where the program no longer looks. */
static void note_removed(const struct link *nl, const struct object *old, const struct var *ov, size_t nold,
                         const bool *claimed, struct bind_result *r)
{
    for (size_t i = 0; i < nold; i++) {
        const struct symbol *s = ov[i].sym;
        if ((claimed && claimed[i]) || moved_out(nl, s))
            continue;
        struct var_fate f = {xstrdup(s->name), xstrdup(old->name), "removed", s->addr, s->size};
        ARRAY_PUSH(r->fates, r->nfates, r->capfates, f);
        r->removed++;
    }
}

void databind_removed(const struct link *nl, struct object *old, struct bind_result *r)
{
    size_t n;
    struct var *v = collect(old, object_dwarf(old), NULL, &n);
    note_removed(nl, old, v, n, NULL, r);
    xfree(v);
}

/* "hotld: warning: game.o: 'gravity' keeps its running value, though its
 * initializer changed: ...": a reload keeps values, and an edited
 * initializer that does nothing must not look like a reload that failed
 * to happen. */
/* "'a', 'b'": the source names of the variables `picked` says, sorted,
 * how many in *n; NULL if none. */
static char *names_picked(const struct var *nv, size_t nnew, const bool *picked, size_t *n)
{
    char **names = xcalloc(nnew + 1, sizeof *names);
    *n = 0;
    for (size_t i = 0; i < nnew; i++)
        if (picked[i])
            names[(*n)++] = source_name(nv[i].sym->name);
    qsort(names, *n, sizeof *names, by_string);
    struct strbuf list = {0};
    for (size_t i = 0; i < *n; i++) {
        sb_printf(&list, "%s'%s'", i ? ", " : "", names[i]);
        xfree(names[i]);
    }
    xfree(names);
    return list.s;
}

/* A reload keeps values, and an edited initializer that does nothing
 * must not look like a reload that failed to happen: "hotld: warning:
 * game.o: 'gravity' keeps its running value, though its initializer
 * changed: ...". */
static void note_changed_initializers(const struct object *new, const struct var *nv, size_t nnew,
                                      const bool *changed, struct bind_result *r)
{
    size_t n;
    char *names = names_picked(nv, nnew, changed, &n);
    if (n)
        add_warning(r, xasprintf("%s: %s keep%s %s running value%s, though %s initializer%s changed: a reload "
                                 "keeps variables' values (--reset NAME starts one again from its new one)",
                                 path_shown(new->name), names, n == 1 ? "s" : "", n == 1 ? "its" : "their",
                                 n == 1 ? "" : "s", n == 1 ? "its" : "their", n == 1 ? "" : "s"));
    xfree(names);
}

/* Is s a variable of another object of the program: of this link, or of
 * the running program (not a library's, nor one the linker makes, such
 * as __dso_handle)? */
static bool others_variable(const struct object *new, const struct symbol *s)
{
    if (s->file == new || s->type == STT_FUNC)
        return false;
    if (s->kind == SYM_DEFINED)
        return s->file != NULL;
    const struct link *live = new->link->opts->live;
    const struct symbol *l = s->kind == SYM_EXTERNAL && live ? strmap_get(&live->symtab, s->name) : NULL;
    return l && l->kind == SYM_DEFINED && l->file && l->type != STT_FUNC;
}

/* Do new's constructors set a variable of another object of the program
 * (a count, a registry's list)? Running them again would set it again. */
static bool constructors_set_others(const struct object *new, const bool *by_ctor)
{
    for (size_t i = 1; i < new->nsyms; i++)
        if (by_ctor[i] && new->syms[i] && others_variable(new, new->syms[i]))
            return true;
    return false;
}

/* The variables the new version's constructors set (a C++ dynamic
 * initializer's, a constructor function's). A reload does not run a
 * replaced object's constructors again, as they would set its kept
 * variables again: kept ones keep their values though the constructors
 * changed, which is said. When they set only variables new in this
 * version (and none of another object's), they run before the commit,
 * for those (r->construct); else the new ones start zero-filled, which is
 * said. may_construct: they set none of another object's. */
static void note_constructed(struct object *old, struct object *new, const struct var *nv, size_t nnew,
                             const uintptr_t *old_at, const enum fate *fate, bool may_construct,
                             struct bind_result *r)
{
    bool *fresh = xcalloc(nnew + 1, sizeof *fresh), *kept = xcalloc(nnew + 1, sizeof *kept);
    for (size_t i = 0; old && i < nnew; i++) {
        const char *name = nv[i].sym->name;
        /* not a guard (guards_follow_objects), nor <iostream>'s std::__ioinit */
        bool said = nv[i].constructed && strncmp(name, "_ZGV", 4) && strncmp(name, "_ZSt", 4) &&
                    strncmp(name, "_ZNSt", 5);
        fresh[i] = said && fate[i] == FATE_NEW;
        kept[i] = said && old_at[i];
    }
    size_t n, nkept;
    char *kept_names = names_picked(nv, nnew, kept, &nkept);
    char *names = names_picked(nv, nnew, fresh, &n);
    if (n && !nkept && may_construct) {
        ARRAY_PUSH(r->construct, r->nconstruct, r->capconstruct, new);
        ARRAY_PUSH(r->notes, r->nnotes, r->capnotes,
                   xasprintf("constructed %s of %s: new, and set by its constructors alone, which ran for %s",
                             names, path_shown(new->name), n == 1 ? "it" : "them"));
    } else if (n) {
        add_warning(r, xasprintf("%s: %s %s new, and set by the object's constructors, which a reload does not "
                                 "run again: %s zero-filled (a restart constructs %s; a function-local static "
                                 "is constructed where first used)", path_shown(new->name), names,
                                 n == 1 ? "is" : "are", n == 1 ? "it starts" : "they start", n == 1 ? "it" : "them"));
    }
    xfree(names);
    if (nkept && !same_constructors(old, new))
        add_warning(r, xasprintf("%s: its constructors changed, and a reload does not run them again: %s keep%s "
                                 "%s running value%s", path_shown(new->name), kept_names, nkept == 1 ? "s" : "",
                                 nkept == 1 ? "its" : "their", nkept == 1 ? "" : "s"));
    xfree(kept_names);
    xfree(fresh);
    xfree(kept);
}

/* The new variables' fates decided (none FATE_ABORT): bind the kept ones
 * to their old storage, list the others' copies, and record each. */
static void apply_fates(struct object *new, struct var *nv, size_t nnew, uintptr_t *kept_at, const uintptr_t *old_at,
                        const enum fate *fate, struct bind_result *r)
{
    while (demote_ambiguous(new, nv, nnew, kept_at))
        ;
    mark_unused_storage(new, nv, nnew, kept_at);
    struct strbuf kept = {0};
    for (size_t i = 0; i < nnew; i++) {
        struct symbol *s = nv[i].sym;
        if (kept_at[i]) {
            char *name = source_name(s->name);
            sb_printf(&kept, "%s'%s'", kept.len ? ", " : "", name);
            xfree(name);
        }
        if (kept_at[i]) {
            add_bind(s->sec, s->value, s->value + s->size, var_delta(&nv[i], kept_at, nv));
            s->addr = kept_at[i];
            r->kept++;
        } else if (old_at[i]) {
            struct var_copy c = {old_at[i], s->addr, s->size};
            ARRAY_PUSH(r->copies, r->ncopies, r->capcopies, c);
            char *what = variable_named(&nv[i], new);
            ARRAY_PUSH(r->warnings, r->nwarnings, r->capwarnings,
                       xasprintf("%s keeps its value but moves: its section's layout changed "
                                 "(-fdata-sections keeps each variable in place)", what));
            xfree(what);
            r->moved++;
        }
        static const char *const names[] = {"new", "kept", "migrated", "user-migrated", "reset", ""};
        const char *what = kept_at[i] ? "kept" : old_at[i] ? "moved" : names[fate[i]];
        struct var_fate f = {xstrdup(s->name), xstrdup(new->name), what, s->addr, s->size};
        ARRAY_PUSH(r->fates, r->nfates, r->capfates, f);
    }
    if (kept.len)
        ARRAY_PUSH(r->notes, r->nnotes, r->capnotes, xasprintf("kept %s of %s", kept.s, path_shown(new->name)));
    xfree(kept.s);
}

static bool has_dwarf_sections(const struct object *obj)
{
    for (size_t i = 1; i < obj->nsecs; i++)
        if (!strcmp(obj->secs[i].name, ".debug_info") || !strcmp(obj->secs[i].name, ".zdebug_info"))
            return true;
    return false;
}

/* An object whose DWARF cannot be read (compressed in a form not read
 * here, gcc -gz=zlib-gnu's; DWARF 4 type units; corrupt), or describes
 * none of its variables, has its variables judged by their sizes, as one
 * built without -g; that is said, since a type change that keeps a
 * variable's size then keeps its bytes. */
static void note_untyped(const struct object *obj, const char *why, struct bind_result *r)
{
    ARRAY_PUSH(r->warnings, r->nwarnings, r->capwarnings,
               xasprintf("%s: %s: its variables are judged by their sizes alone (a type change that keeps a size "
                         "keeps the bytes)", path_shown(obj->name), why));
}

/* Why a version's DWARF gives its variables no type, or NULL. */
static const char *unread_dwarf(const struct object *obj, const struct debug_info *di)
{
    if (!di)
        return has_dwarf_sections(obj) ? "DWARF cannot be read" : NULL;
    if (debug_info_is_split(di))
        return "DWARF is split into a .dwo file (-gsplit-dwarf) that cannot be read, or was rebuilt since";
    return debug_info_types_no_variable(di) ? "DWARF gives none of its variables a type (built with -g1?)" : NULL;
}

/* Either version's: the running one's matters when the new one's types
 * are read. */
static void note_unread_dwarf(const struct object *old, const struct debug_info *old_di, const struct object *new,
                              const struct debug_info *new_di, struct bind_result *r)
{
    const char *why = unread_dwarf(new, new_di);
    char *said = why ? xasprintf("its %s", why)
                 : (why = unread_dwarf(old, old_di)) ? xasprintf("the running version's %s", why)
                                                      : NULL;
    if (said)
        note_untyped(new, said, r);
    xfree(said);
}

int databind_object(const struct link *nl, struct object *old, struct object *new, struct bind_result *r)
{
    size_t nold = 0, nnew;
    struct types t = {old ? object_dwarf(old) : NULL, object_dwarf(new), old, new};
    const struct debug_info *old_read = t.old;
    if (!t.new)
        t.old = NULL; /* without the new types, the old ones decide nothing */
    bool *by_ctor = constructor_variables(new);
    struct var *ov = old ? collect(old, t.old, NULL, &nold) : NULL, *nv = collect(new, t.new, by_ctor, &nnew);
    bool may_construct = !constructors_set_others(new, by_ctor);
    xfree(by_ctor);
    if (old && nnew)
        note_unread_dwarf(old, old_read, new, t.new, r);
    qsort(nv, nnew, sizeof *nv, by_name); /* questions and reports in name order */
    uintptr_t *kept_at = xcalloc(nnew + 1, sizeof *kept_at);
    uintptr_t *old_at = xcalloc(nnew + 1, sizeof *old_at);
    enum fate *fate = xcalloc(nnew + 1, sizeof *fate);
    bool *claimed = xcalloc(nold + 1, sizeof *claimed);
    bool *init_changed = xcalloc(nnew + 1, sizeof *init_changed);
    struct rela_order old_order = {0}, new_order = {0};
    bool aborted = false;
    for (size_t i = 0; i < nnew && !aborted; i++) {
        struct var *o = find(ov, nold, &nv[i]), from;
        struct types moved_types;
        if (o)
            claimed[o - ov] = true;
        if (!o)
            o = find_moved(nl, old, &nv[i], &t, &from, &moved_types);
        if (reset_by_user(r, &nv[i], new)) {
            fate[i] = !o ? FATE_NEW : nv[i].constructed ? reset_refused("--reset", &nv[i], new) : FATE_RESET;
            if (fate[i] == FATE_RESET)
                note(r, &nv[i], new, "reset", "as --reset asked");
        } else {
            fate[i] = o ? judge_variable(r, o == &from ? &moved_types : &t, o, &nv[i], new) : FATE_NEW;
        }
        aborted = fate[i] == FATE_ABORT;
        r->added += fate[i] == FATE_NEW;
        r->reset += fate[i] == FATE_RESET;
        r->migrated += fate[i] == FATE_MIGRATED;
        r->user_migrated += fate[i] == FATE_USER;
        if (fate[i] == FATE_KEPT) {
            kept_at[i] = old_at[i] = o->sym->addr;
            init_changed[i] = !same_initial_value(&old_order, o->sym, &new_order, nv[i].sym);
        } else if (o && fate[i] != FATE_ABORT)
            ARRAY_PUSH(r->displaced, r->ndisplaced, r->capdisplaced, (const struct symbol *)o->sym);
    }
    if (!aborted && t.old && t.new)
        aborted = check_class_layouts(t.old, t.new, new, r) < 0;
    if (!aborted)
        guards_follow_objects(r, ov, nold, nv, nnew, kept_at, old_at, fate);
    if (!aborted) {
        apply_fates(new, nv, nnew, kept_at, old_at, fate, r);
        for (size_t i = 0; i < nnew; i++)
            init_changed[i] &= old_at[i] != 0; /* still kept, after guards_follow_objects */
        note_changed_initializers(new, nv, nnew, init_changed, r);
        note_constructed(old, new, nv, nnew, old_at, fate, may_construct, r);
        if (old)
            note_removed(nl, old, ov, nold, claimed, r);
    }
    xfree(ov);
    xfree(nv);
    xfree(kept_at);
    xfree(old_at);
    xfree(fate);
    xfree(claimed);
    xfree(init_changed);
    rela_order_free(&old_order);
    rela_order_free(&new_order);
    return aborted ? -1 : 0;
}

void bind_result_free(struct bind_result *r)
{
    for (size_t i = 0; i < r->nfates; i++) {
        xfree(r->fates[i].name);
        xfree(r->fates[i].object);
    }
    xfree(r->fates);
    for (size_t i = 0; i < r->nwarnings; i++)
        xfree(r->warnings[i]);
    xfree(r->warnings);
    for (size_t i = 0; i < r->nnotes; i++)
        xfree(r->notes[i]);
    xfree(r->notes);
    for (size_t i = 0; i < r->nmigrations; i++) {
        if (r->migrations[i].plan)
            type_plan_free(r->migrations[i].plan);
        xfree(r->migrations[i].plan);
    }
    xfree(r->migrations);
    xfree(r->reset_found);
    xfree(r->displaced);
    xfree(r->copies);
    xfree(r->repoints);
    xfree(r->construct);
    memset(r, 0, sizeof *r);
}
