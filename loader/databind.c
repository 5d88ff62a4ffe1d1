/* Carrying a reloaded object's variables over to its new version.
 *
 * A variable of the new version that matches one of the old version (same
 * name, gcc's ".N" suffix aside, same occurrence, same size) keeps the old
 * storage: its symbol gets the old address, so named references bind to it.
 * References through the section symbol (what assemblers emit for statics)
 * are moved by a per-variable delta recorded on the section. A RIP-relative
 * reference's addend folds in the size of any immediate after the
 * displacement, so the instruction is decoded (x86_insn.c) to find the byte
 * it targets. Should that fail, the possible targets are all considered,
 * and if they belong to variables with different deltas, the kept ones
 * among them are demoted: new storage, with their old value copied in.
 *
 * When both versions have DWARF (-g), a matched variable's old and new
 * types decide instead of its size (dwarf/typematch.c): identical types
 * keep the storage; a changed type whose values can follow (fields added,
 * removed or reordered, arrays resized, integers widened) gets new storage
 * with the old values carried in field by field at the commit; any other
 * change re-initializes it, with a warning that says why. */
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "strbuf.h"
#include "typeinfo.h"
#include "insn.h"
#include "util.h"

struct var {
    struct symbol *sym;
    size_t baselen;         /* name length without a ".N" suffix */
    unsigned occurrence;    /* among the object's variables of that name */
    const char *key;        /* its DWARF scope key, if the object has DWARF */
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

/* gcc names function statics "name.N"; N changes as statics are added. */
static size_t base_length(const char *name)
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

/* Both versions' DWARF, when both have it. */
struct types {
    struct debug_info *old, *new;
    const struct object *old_obj, *new_obj;
};

/* The DWARF variable of symbol s of obj: by its section and offset, or for
 * a common symbol (its section is the link's, index 0) by its index. */
static const struct debug_var *dwarf_var(const struct debug_info *di, const struct object *obj,
                                         const struct symbol *s)
{
    if (!di || !s->sec)
        return NULL;
    if (s->sec->index)
        return debug_var_at(di, s->sec->index, s->value);
    for (size_t i = 1; i < obj->nsyms; i++)
        if (obj->syms[i] == s)
            return debug_var_at(di, SHN_COMMON, i);
    return NULL;
}

static struct var *collect(struct object *obj, const struct debug_info *di, size_t *n)
{
    struct var *v = xcalloc(obj->nsyms + 1, sizeof *v);
    *n = 0;
    for (size_t i = 1; i < obj->nsyms; i++) {
        struct symbol *s = obj->syms[i];
        if (!is_state_variable(s, obj))
            continue;
        const struct debug_var *dv = dwarf_var(di, obj, s);
        struct var cur = {s, base_length(s->name), 0, dv ? dv->key : NULL};
        for (size_t j = 0; j < *n; j++)
            cur.occurrence += same_base(&v[j], &cur);
        v[(*n)++] = cur;
    }
    return v;
}

/* Reading DWARF costs milliseconds: not for an object without variables. */
static bool has_variables(const struct object *obj)
{
    for (size_t i = 1; i < obj->nsyms; i++)
        if (is_state_variable(obj->syms[i], obj))
            return true;
    return false;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct var *)a)->sym->name, ((const struct var *)b)->sym->name);
}

/* The old variable matching want: by DWARF scope key when both have one
 * (a function static stays itself when another function gains one of the
 * same name), else by name and occurrence. */
static struct var *find(struct var *v, size_t n, const struct var *want)
{
    for (size_t i = 0; want->key && i < n; i++)
        if (v[i].key && !strcmp(v[i].key, want->key))
            return &v[i];
    for (size_t i = 0; i < n; i++)
        if (!(want->key && v[i].key) && same_base(&v[i], want) && v[i].occurrence == want->occurrence)
            return &v[i];
    return NULL;
}

void add_bind(struct section *sec, uint64_t start, uint64_t end, int64_t delta)
{
    ARRAY_PUSH(sec->binds, sec->nbinds, sec->capbinds, ((struct var_bind){start, end, delta}));
}

/* For a RIP-relative displacement at `at` in code section `from`: the
 * distance from the displacement to the end of its instruction (4 plus
 * the immediate that follows), decoding the function that holds it; -1 if
 * unknown. */
static int64_t disp_to_end(const struct section *from, uint64_t at)
{
    size_t n;
    const struct func *f = object_functions(from->obj, &n);
    for (size_t i = 0; i < n; i++) {
        if (!f[i].bytes || f[i].bytes < from->data || f[i].bytes >= from->data + from->size)
            continue;
        uint64_t start = f[i].bytes - from->data;
        if (at < start || at >= start + f[i].size)
            continue;
        int64_t end = x86_insn_end(f[i].bytes, f[i].size, at - start);
        int64_t left = end - (int64_t)(at - start);
        return left == 4 || left == 5 || left == 6 || left == 8 ? left : -1;
    }
    return -1;
}

/* The byte offsets within its target section that relocation r (in
 * section from) may reach, relative to its symbol: exactly one, unless the
 * instruction around a RIP-relative displacement cannot be decoded. */
static size_t reloc_target_offsets(const struct section *from, const Elf64_Rela *r, int64_t out[4])
{
    if (ELF64_R_TYPE(r->r_info) != R_X86_64_PC32) {
        out[0] = r->r_addend;
        return 1;
    }
    int64_t left = from->flags & SHF_EXECINSTR ? disp_to_end(from, r->r_offset) : 4;
    if (left > 0) {
        out[0] = r->r_addend + left;
        return 1;
    }
    static const int imm[4] = {0, 1, 2, 4};
    for (int i = 0; i < 4; i++)
        out[i] = r->r_addend + 4 + imm[i];
    return 4;
}

static struct var *var_at(struct var *v, size_t n, const struct section *sec, int64_t off)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].sym->sec == sec && off >= (int64_t)v[i].sym->value &&
            off < (int64_t)(v[i].sym->value + v[i].sym->size))
            return &v[i];
    return NULL;
}

bool bind_delta_at(const struct section *sec, int64_t off, int64_t *delta)
{
    for (size_t j = 0; j < sec->nbinds; j++)
        if (off >= (int64_t)sec->binds[j].start && off < (int64_t)sec->binds[j].end) {
            *delta = sec->binds[j].delta;
            return true;
        }
    return false;
}

bool databind_delta(const struct section *from, const Elf64_Rela *r, const struct section *sec,
                    int64_t *delta)
{
    if ((sec->flags & SHF_EXECINSTR) && ELF64_R_TYPE(r->r_info) == R_X86_64_PLT32)
        return false; /* a call: straight to the new body */
    int64_t off[4];
    size_t n = reloc_target_offsets(from, r, off);
    for (size_t i = 0; i < n; i++)
        if (bind_delta_at(sec, off[i], delta))
            return true;
    return false;
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
        free(plan->why);
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
                              n->sym->type == STT_TLS ? n->sym : NULL};
    ARRAY_PUSH(r->migrations, r->nmigrations, r->capmigrations, m);
}

/* A line of the report: "VERB 'NAME' of OBJECT[: DETAIL]". */
static void note(struct bind_result *r, const struct var *n, const struct object *obj, const char *verb,
                 const char *detail)
{
    char *text = xasprintf("%s '%s' of %s%s%s", verb, n->sym->name, obj->name, detail ? ": " : "",
                           detail ? detail : "");
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
    free(want);
    return fn;
}

/* The letter the policy (or the user) picks: m(igrate), r(eset), k(eep
 * the old bytes), a(bort). */
static char choose(const struct object *obj, const struct var *n, const char *why, const char *types,
                   bool can_migrate, bool can_keep)
{
    const struct link_options *o = obj->link->opts;
    static const char by_policy[] = {[CONFLICT_RESET] = 'r', [CONFLICT_KEEP] = 'k', [CONFLICT_ABORT] = 'a'};
    if (o->on_conflict != CONFLICT_ASK || !o->ask)
        return o->on_conflict == CONFLICT_ASK ? 'r' : by_policy[o->on_conflict];
    char choices[5], *c = choices;
    if (can_migrate)
        *c++ = 'm';
    *c++ = 'r';
    if (can_keep)
        *c++ = 'k';
    *c++ = 'a';
    *c = 0;
    char *question = xasprintf("variable '%s' of %s: %s%s", n->sym->name, obj->name, why, types);
    char answer = o->ask(o->ask_ctx, question, choices);
    free(question);
    return answer && strchr(choices, answer) ? answer : 'a';
}

/* A variable whose value cannot simply follow its new type: the policy,
 * or the user, decides. plan: NULL if it cannot be migrated at all. */
static enum fate conflict(struct bind_result *r, const struct types *t, const struct var *o,
                          const struct var *n, const struct object *obj, const char *why,
                          struct type_plan *plan)
{
    bool can_keep = o->sym->size == n->sym->size;
    const struct debug_var *ot = dwarf_var(t->old, t->old_obj, o->sym), *nt = dwarf_var(t->new, t->new_obj, n->sym);
    bool asking = obj->link->opts->on_conflict == CONFLICT_ASK && ot && nt;
    char *types = asking ? type_side_by_side(t->old, ot->type, t->new, nt->type) : NULL;
    char choice = choose(obj, n, why, types ? types : "", plan != NULL, can_keep);
    free(types);
    if (choice == 'm') {
        note(r, n, obj, "migrated", why);
        add_migration(r, o, n, plan, NULL);
        return FATE_MIGRATED;
    }
    if (plan)
        type_plan_free(plan);
    if (choice == 'a') {
        fail("variable '%s' of %s: %s; reload aborted (--on-conflict)", n->sym->name, obj->name, why);
        return FATE_ABORT;
    }
    bool keep = choice == 'k' && can_keep;
    add_warning(r, xasprintf("variable '%s' of %s: %s: %s", n->sym->name, obj->name, why,
                             keep ? "its old bytes kept" : "re-initialized"));
    return keep ? FATE_KEPT : FATE_RESET;
}

/* Decide one matched pair: keep, migrate, reset, or stop the reload. */
static enum fate judge(struct bind_result *r, const struct types *t, const struct var *o,
                       const struct var *n, const struct object *obj)
{
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
    if (verdict == TYPES_IDENTICAL || (verdict < 0 && o->sym->size == n->sym->size))
        return FATE_KEPT;
    if (verdict < 0) {
        char *why = xasprintf("size changed (%lu -> %lu bytes), no DWARF to say how",
                              (unsigned long)o->sym->size, (unsigned long)n->sym->size);
        enum fate f = conflict(r, t, o, n, obj, why, NULL);
        free(why);
        return f;
    }
    if (verdict == TYPES_INCOMPATIBLE) {
        char *why = plan.why ? xstrdup(plan.why) : xstrdup("type changed");
        type_plan_free(&plan);
        enum fate f = conflict(r, t, o, n, obj, why, NULL);
        free(why);
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
    free(loss);
    return f;
}

int databind_object(struct object *old, struct object *new, struct bind_result *r)
{
    size_t nold, nnew;
    struct types t = {NULL, NULL, old, new};
    if (has_variables(new) && (t.old = debug_info_open(old)) && !(t.new = debug_info_open(new))) {
        debug_info_close(t.old);
        t.old = NULL;
    }
    struct var *ov = collect(old, t.old, &nold), *nv = collect(new, t.new, &nnew);
    qsort(nv, nnew, sizeof *nv, by_name); /* questions and reports in name order */
    uintptr_t *kept_at = xcalloc(nnew + 1, sizeof *kept_at);
    uintptr_t *old_at = xcalloc(nnew + 1, sizeof *old_at);
    enum fate *fate = xcalloc(nnew + 1, sizeof *fate);
    bool aborted = false;
    for (size_t i = 0; i < nnew && !aborted; i++) {
        struct var *o = find(ov, nold, &nv[i]);
        fate[i] = o ? judge(r, &t, o, &nv[i], new) : FATE_NEW;
        aborted = fate[i] == FATE_ABORT;
        r->added += fate[i] == FATE_NEW;
        r->reset += fate[i] == FATE_RESET;
        r->migrated += fate[i] == FATE_MIGRATED;
        r->user_migrated += fate[i] == FATE_USER;
        if (fate[i] == FATE_KEPT)
            kept_at[i] = old_at[i] = o->sym->addr;
        else if (o && fate[i] != FATE_ABORT)
            ARRAY_PUSH(r->displaced, r->ndisplaced, r->capdisplaced, (const struct symbol *)o->sym);
    }
    debug_info_close(t.old);
    debug_info_close(t.new);
    if (aborted) {
        free(ov);
        free(nv);
        free(kept_at);
        free(old_at);
        free(fate);
        return -1;
    }
    while (demote_ambiguous(new, nv, nnew, kept_at))
        ;
    mark_unused_storage(new, nv, nnew, kept_at);
    struct strbuf kept = {0};
    for (size_t i = 0; i < nnew; i++) {
        struct symbol *s = nv[i].sym;
        if (kept_at[i])
            sb_printf(&kept, "%s'%s'", kept.len ? ", " : "", s->name);
        if (kept_at[i]) {
            add_bind(s->sec, s->value, s->value + s->size, var_delta(&nv[i], kept_at, nv));
            s->addr = kept_at[i];
            r->kept++;
        } else if (old_at[i]) {
            struct var_copy c = {old_at[i], s->addr, s->size};
            ARRAY_PUSH(r->copies, r->ncopies, r->capcopies, c);
            ARRAY_PUSH(r->warnings, r->nwarnings, r->capwarnings,
                       xasprintf("variable '%s' of %s keeps its value but moves: its section's "
                                 "layout changed (-fdata-sections keeps each variable in place)",
                                 s->name, new->name));
            r->moved++;
        }
        static const char *const names[] = {"new", "kept", "migrated", "user-migrated", "reset", ""};
        const char *what = kept_at[i] ? "kept" : old_at[i] ? "moved" : names[fate[i]];
        struct var_fate f = {xstrdup(s->name), xstrdup(new->name), what, s->addr, s->size};
        ARRAY_PUSH(r->fates, r->nfates, r->capfates, f);
    }
    if (kept.len)
        ARRAY_PUSH(r->notes, r->nnotes, r->capnotes, xasprintf("kept %s of %s", kept.s, new->name));
    free(kept.s);
    free(ov);
    free(nv);
    free(kept_at);
    free(old_at);
    free(fate);
    return 0;
}

/* After the new link is relocated (its TLS block loaded): a thread-local
 * variable's old and new places as offsets from the thread pointer. */
void migrations_prepare(struct bind_result *r)
{
    for (size_t i = 0; i < r->nmigrations; i++) {
        struct var_migration *m = &r->migrations[i];
        struct tls_place from, to;
        if (m->tls && tls_locate(m->from, &from) == 0 && tls_locate(m->tls->addr, &to) == 0) {
            m->from = (uintptr_t)from.tpoff;
            m->to = (uintptr_t)to.tpoff;
        }
    }
}

static void migrate(const struct var_migration *m, uintptr_t from, uintptr_t to)
{
    if (m->user)
        m->user((const void *)from, (void *)to);
    else
        type_plan_apply(m->plan, (const void *)from, (void *)to);
}

/* At the commit, with every thread parked: allocates nothing. A
 * thread-local variable migrates in every thread. */
void migrations_apply(const struct bind_result *r, const uintptr_t *tps, size_t ntps)
{
    for (size_t i = 0; i < r->nmigrations; i++) {
        const struct var_migration *m = &r->migrations[i];
        if (!m->tls)
            migrate(m, m->from, m->to);
        for (size_t t = 0; m->tls && t < ntps; t++)
            migrate(m, tps[t] + m->from, tps[t] + m->to);
    }
}

/* Where the byte at offset off of a migrated variable's old storage went:
 * its start stays its start (a user function's too); inside, the plan's
 * anchors and copies say. */
static bool new_offset(const struct var_migration *m, uint64_t off, uint64_t *out)
{
    if (off == 0 || !m->plan) {
        *out = 0;
        return off == 0;
    }
    return type_plan_offset(m->plan, off, out);
}

static void rewrite_section(const struct bind_result *r, const struct section *s)
{
    uintptr_t start = ALIGN_UP(s->addr, 8), end = s->addr + s->size;
    for (uintptr_t at = start; at + 8 <= end; at += 8) {
        uintptr_t v = *(const uintptr_t *)at;
        for (size_t i = 0; i < r->nmigrations; i++) {
            const struct var_migration *m = &r->migrations[i];
            uint64_t off;
            if (!m->tls && v >= m->from && v < m->from + m->old_size && new_offset(m, v - m->from, &off)) {
                *(uintptr_t *)at = m->to + off;
                break;
            }
        }
    }
}

/* Pointers into a migrated variable's old storage, wherever the program
 * keeps writable data of its own (every generation's data sections), now
 * point to the same place in the new storage. Not rewritten: pointers on
 * the heap or a stack, in read-only data (relro), or that point inside a
 * scalar that changed representation. At the commit: allocates nothing. */
void migrations_rewrite_pointers(const struct bind_result *r, struct link *const *gens, size_t ngens)
{
    for (size_t g = 0; r->nmigrations && g < ngens; g++)
        for (size_t i = 0; i < gens[g]->nobjs; i++) {
            const struct object *obj = gens[g]->objs[i];
            for (size_t j = 1; j < obj->nsecs; j++) {
                const struct section *s = &obj->secs[j];
                if (s->out && s->out->seg == SEG_DATA && !(s->flags & SHF_TLS) && !s->discarded &&
                    !s->storage_unused)
                    rewrite_section(r, s);
            }
        }
}

void bind_result_free(struct bind_result *r)
{
    for (size_t i = 0; i < r->nfates; i++) {
        free(r->fates[i].name);
        free(r->fates[i].object);
    }
    free(r->fates);
    for (size_t i = 0; i < r->nwarnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    for (size_t i = 0; i < r->nnotes; i++)
        free(r->notes[i]);
    free(r->notes);
    for (size_t i = 0; i < r->nmigrations; i++) {
        if (r->migrations[i].plan)
            type_plan_free(r->migrations[i].plan);
        free(r->migrations[i].plan);
    }
    free(r->migrations);
    free(r->displaced);
    free(r->copies);
    memset(r, 0, sizeof *r);
}
