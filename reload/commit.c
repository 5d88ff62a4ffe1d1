/* The commit: with every program thread parked, the reload's one change
 * of the running program. Variables are carried over, old entries jump to
 * the new code, the live symbol table takes the new definitions, and code
 * that reached a moved variable is relocated again. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "jump.h"
#include "patch.h"
#include "plan.h"
#include "stopworld.h"
#include "util.h"

/* Replaced versions are relocated again at the commit (update_references)
 * around their entries' jumps, which their function lists locate. */
static void know_replaced_functions(struct program *pg)
{
    size_t n;
    for (size_t g = 0; g < pg->ngens; g++)
        for (size_t i = 0; i < pg->gens[g]->nobjs; i++)
            if (pg->gens[g]->objs[i]->superseded && pg->gens[g]->objs[i]->syms)
                object_functions(pg->gens[g]->objs[i], &n);
}

/* Everything the commit needs from the heap, taken before the threads
 * are parked: a parked thread may hold a malloc arena's lock, or libgcc's
 * frame registry lock, and the commit must not wait for it. Table slots
 * created here with a NULL value read as absent until the commit fills
 * them. */
void prepare_commit(struct program *pg, struct plan *p)
{
    struct link *nl = p->nl, *live = pg->live;
    migrations_prepare(&p->binds);
    activeness_plan(&p->act, pg, &p->binds);
    find_running_old_code_here(pg, p);
    size_t globals = 0;
    for (size_t i = 0; i < nl->nobjs; i++)
        for (size_t j = 1; j < nl->objs[i]->nsyms; j++)
            if (nl->objs[i]->syms[j]->global) {
                symtab_get(live, nl->objs[i]->syms[j]->name);
                globals++;
            }
    for (size_t i = 0; i < nl->nsuperseded; i++)
        globals += nl->superseded[i]->nsyms;
    know_replaced_functions(pg);
    p->moved.syms = xcalloc(globals + 1, sizeof *p->moved.syms);
    p->moved.was = xcalloc(globals + 1, sizeof *p->moved.was);
    p->moved_data.syms = xcalloc(globals + 1, sizeof *p->moved_data.syms);
    p->moved_data.was = xcalloc(globals + 1, sizeof *p->moved_data.was);
    for (size_t i = 0; !p->again && i < nl->nobjs; i++)
        strmap_slot(&live->by_name, nl->objs[i]->name);
    for (size_t i = 0; !p->again && i < nl->archives_by_name.cap; i++)
        if (nl->archives_by_name.slots[i].key)
            strmap_slot(&live->archives_by_name, nl->archives_by_name.slots[i].key);
    grow_array((void **)&pg->gens, &pg->capgens, pg->ngens + 1, sizeof *pg->gens);
    program_text_reserve(pg);
    if (!p->again) { /* a version brought back has its unwind tables */
        link_publish(nl); /* unwind tables of code nothing can reach yet */
        sort_unwind_tables(); /* before a thread is parked */
        image_mark_unused(nl);
    }
    prepare_debug_images(pg, p);
    if (pg->rollback) {
        datasave_plan(&p->save, p->replaced, nl->nobjs);
        datasave_plan(&p->save, p->removed_objs, p->nremoved_objs);
    }
    if (pg->rolling_back)
        datasave_put_back(&pg->saved, nl, &p->put_back, &p->nput_back);
    pointers_prepare(&p->pointers, &p->binds, p->overwrites, p->noverwrites, pg->gens, pg->ngens,
                     nl->opts->rewrite_pointers); /* last: it notes hotld's blocks */
}

/* A version brought back runs its own code again from its entries. This
 * happens while its debug image is away: a debugger puts breakpoints in
 * when the image comes, saving the bytes it finds, and would write back
 * the jump it saved otherwise. */
static int restore_entries(struct plan *p)
{
    int rc = 0;
    for (size_t i = 0; i < p->nrestores; i++) {
        struct patch_window w;
        if (patch_open(&w, p->restores[i].at, JMP_SIZE, PROT_READ | PROT_EXEC) < 0) {
            rc = -1;
            continue;
        }
        patch_code(p->restores[i].at, p->restores[i].bytes, JMP_SIZE);
        rc |= patch_close(&w);
    }
    return rc;
}

/* And the live records describe its objects, not the rehearsal's copies. */
static void bring_back(struct program *pg, struct plan *p)
{
    for (size_t i = 0; i < p->nl->nobjs; i++) {
        struct object *copy = p->nl->objs[i], *obj = p->again->objs[i];
        for (size_t j = 1; j < copy->nsyms; j++) {
            struct symbol *l = copy->syms[j];
            if (l->global && l->file == copy) {
                l->file = obj;
                l->sec = l->sec ? &obj->secs[l->sec - copy->secs] : NULL;
            }
        }
        obj->superseded = false;
        strmap_slot(&pg->live->by_name, obj->name)->value = obj;
    }
    for (size_t i = 0; i < p->again->ngot; i++)
        p->again->got[i].hold = GOT_HOLD_NONE; /* its code is live again: its slots follow */
    pg->last_brought = p->again;
}

/* The new link's objects and archives become the program's. */
static void take_new(struct program *pg, struct plan *p)
{
    struct link *nl = p->nl, *live = pg->live;
    pg->gens[pg->ngens++] = nl;
    program_text_add(pg, nl->image);
    for (size_t i = 0; i < nl->nobjs; i++)
        strmap_slot(&live->by_name, nl->objs[i]->name)->value = nl->objs[i];
    for (size_t i = 0; i < nl->archives_by_name.cap; i++)
        if (nl->archives_by_name.slots[i].key)
            strmap_slot(&live->archives_by_name, nl->archives_by_name.slots[i].key)->value =
                nl->archives_by_name.slots[i].value;
    pg->last_brought = nl;
}

static void copy_values(const struct var_copy *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        memcpy((void *)c[i].to, (const void *)c[i].from, c[i].size);
}

static void add_moved(struct moved_set *m, struct symbol *s)
{
    m->syms[m->n] = s;
    m->was[m->n++] = s->addr;
}

static void note_moved(struct plan *p, struct symbol *s)
{
    add_moved(&p->moved, s);
    if (s->sec && s->sec->out && s->sec->out->seg == SEG_DATA && !(s->sec->flags & SHF_TLS))
        add_moved(&p->moved_data, s); /* a variable, not code, a constant or a vtable */
}

/* Merge the new generation's symbols into the live table, remembering
 * which ones changed address. */
static void merge_symbols(struct program *pg, struct plan *p)
{
    struct link *live = pg->live, *nl = p->nl;
    for (size_t i = 0; i < nl->nobjs; i++) {
        struct object *obj = nl->objs[i];
        for (size_t j = 1; j < obj->nsyms; j++) {
            struct symbol *s = obj->syms[j];
            if (!s->global)
                continue;
            struct symbol *l = symtab_get(live, s->name);
            if (s->file == obj && (s->kind == SYM_DEFINED || s->kind == SYM_COMMON)) {
                /* an undefined weak was 0 until now: its users change too */
                if (l->addr != s->addr)
                    note_moved(p, l);
                symbol_take_definition(l, s);
            } else if (l->kind == SYM_UNDEF && s->kind != SYM_UNDEF) {
                l->kind = s->kind;
                l->addr = s->addr;
                l->dso = s->dso;
            }
        }
    }
    /* Definitions that left with a replaced or removed object: weak
     * references to them are 0 again (incremental_check_references let no
     * other kind through). Not the old versions' own: frames still inside
     * them go on with the storage they had (moved, not moved_data). */
    for (size_t i = 0; i < nl->nsuperseded; i++) {
        struct object *gone = nl->superseded[i];
        for (size_t j = 1; j < gone->nsyms; j++) {
            struct symbol *l = gone->syms[j];
            if (!l->global || l->kind != SYM_DEFINED || l->file != gone)
                continue; /* a local, or made again by the new version */
            add_moved(&p->moved, l);
            l->kind = SYM_UNDEF;
            l->bind = STB_WEAK;
            l->file = NULL;
            l->sec = NULL;
            l->addr = l->call_addr = 0;
        }
    }
    /* The new objects now refer to the live entries, like the others. */
    for (size_t i = 0; i < nl->nobjs; i++)
        for (size_t j = 1; j < nl->objs[i]->nsyms; j++) {
            struct symbol *s = nl->objs[i]->syms[j];
            if (s->global)
                nl->objs[i]->syms[j] = symtab_get(live, s->name);
        }
    for (size_t i = 0; i < nl->ngot; i++)
        if (nl->got[i].sym && nl->got[i].sym->global)
            nl->got[i].sym = symtab_get(live, nl->got[i].sym->name);
    for (size_t i = 0; i < nl->nstubs; i++)
        if (nl->stubs[i]->global)
            nl->stubs[i] = symtab_get(live, nl->stubs[i]->name);
}

static bool refers_to(const struct section *sec, struct symbol **syms, const struct moved_set *m)
{
    uintptr_t was;
    for (size_t k = 0; k < sec->nrelas; k++)
        if (moved_set_has(m, syms[ELF64_R_SYM(sec->relas[k].r_info)], &was))
            return true;
    return false;
}

/* A replaced version runs only in frames already inside it, and calls
 * through its old entries reach the new code: only its references to
 * moved variables are relocated again, around the jumps at its entries.
 * (Its own constants and vtables stay its own: a version brought back,
 * reuse.c, is its bytes as linked.) */
static int relocate_again(struct section *sec, const struct plan *p)
{
    bool replaced = sec->obj->superseded;
    const struct moved_set *m = replaced ? &p->moved_data : &p->moved;
    struct patch_window w;
    if (!refers_to(sec, sec->obj->syms, m))
        return 0;
    if (patch_open(&w, sec->addr, sec->size, segment_prot(sec->out->seg)) < 0)
        return -1;
    int rc = relocate_references(sec->obj->link, sec, m, replaced ? in_redirected_entry : NULL);
    return patch_close(&w) | rc;
}

/* Might obj read a GOT slot of s? A version whose records are retired
 * (versions.c) cannot tell, and is taken to. */
static bool object_reads_got_of(const struct object *obj, const struct symbol *s)
{
    if (!obj->syms)
        return true;
    for (size_t j = 1; j < obj->nsecs; j++)
        if (obj->secs[j].out && section_reads_got_of(&obj->secs[j], s))
            return true;
    return false;
}

static void note_held(struct plan *p, const struct object *reader, const struct object *old,
                      const struct symbol *s)
{
    if (p->nheld < HELD_SLOTS_TOLD)
        p->held[p->nheld++] = (struct held_slot){reader, old, s};
}

/* A slot of ld whose symbol this reload removed (its definition left
 * with a replaced or removed version): replaced code that reads it may
 * run on in frames inside it, with the address it had, as its relaxed
 * references do (relocate_again leaves them). Read by replaced code
 * alone, the slot keeps that address for good. Read by a live weak
 * reference too, which wants 0, it keeps it until a version defines the
 * symbol again, and the report says so. */
static void hold_removed(const struct link *ld, struct got_entry *e, struct plan *p)
{
    const struct object *reader = NULL, *old = NULL;
    for (size_t i = 0; i < ld->nobjs; i++)
        if (object_reads_got_of(ld->objs[i], e->sym)) {
            if (ld->objs[i]->superseded)
                old = ld->objs[i];
            else
                reader = ld->objs[i];
        }
    if (!old)
        return;
    e->hold = reader ? GOT_HOLD_WHILE_UNDEFINED : GOT_HOLD_ALWAYS;
    if (reader)
        note_held(p, reader, old, e->sym);
}

static bool removed_now(const struct got_entry *e, const struct plan *p)
{
    uintptr_t was;
    return e->sym && e->sym->kind == SYM_UNDEF && e->hold != GOT_HOLD_ALWAYS &&
           moved_set_has(&p->moved, e->sym, &was);
}

static bool held(const struct got_entry *e)
{
    return e->hold == GOT_HOLD_ALWAYS || (e->hold == GOT_HOLD_WHILE_UNDEFINED && e->sym->kind == SYM_UNDEF);
}

/* A GOT slot of a shared library's thread-local variable: its value comes
 * from the dynamic linker (dl_iterate_phdr, whose lock a parked thread may
 * hold), and cannot change. */
static bool is_library_tls(const struct got_entry *e)
{
    return e->kind != GOT_ADDR && e->kind != GOT_ZERO && e->kind != GOT_OWN_DTPMOD && e->sym &&
           e->sym->kind == SYM_DSO;
}

/* The fields of the rest of the program that reach a variable whose
 * address changed (it was re-initialized or moved) are relocated again,
 * in every version that still has its relocations: old code may still be
 * running (a loop in main, reloaded since), and must use the variable's
 * storage of now. GOT slots of every generation are brought up to date. */
static int update_references(struct program *pg, struct plan *p)
{
    int rc = 0;
    for (size_t g = 0; p->moved.n && g < pg->ngens; g++)
        for (size_t i = 0; i < pg->gens[g]->nobjs; i++) {
            struct object *obj = pg->gens[g]->objs[i];
            for (size_t j = 1; j < obj->nsecs; j++)
                if (obj->secs[j].out && !obj->secs[j].storage_unused) /* given back: image_trim_unused */
                    rc |= relocate_again(&obj->secs[j], p);
        }
    for (size_t g = 0; g < pg->ngens; g++) {
        struct link *ld = pg->gens[g];
        uint64_t *got = (uint64_t *)ld->image->got;
        for (size_t i = 0; i < ld->ngot; i++) {
            if (is_library_tls(&ld->got[i]))
                continue; /* a library's block stays where it is */
            if (removed_now(&ld->got[i], p))
                hold_removed(ld, &ld->got[i], p);
            if (held(&ld->got[i]))
                continue;
            uint64_t v = got_value(ld, &ld->got[i]);
            if (got[i] != v)
                rc |= patch_write8((uintptr_t)&got[i], v, PROT_READ);
        }
        for (size_t i = 0; i < ld->nstubs; i++) {
            uint64_t want = stub_target(ld->stubs[i]), have;
            uintptr_t target = ld->image->stubs + i * STUB_SIZE + STUB_TARGET;
            memcpy(&have, (void *)target, 8); /* not 8-byte aligned */
            if (have != want)
                rc |= patch_write8(target, want, PROT_READ | PROT_EXEC);
        }
    }
    return rc;
}

/* Runs with every program thread parked: no allocation, no locks. A page
 * that cannot be patched does not stop it half way: the rest is done, and
 * the error is the reload's. */
int commit(struct program *pg, struct plan *p)
{
    struct link *live = pg->live;
    find_running_old_code(pg, p);
    retire_debug_images(p);
    int rc = restore_entries(p);
    publish_debug_images(pg, p);
    datasave_take(&p->save);
    copy_values(p->binds.copies, p->binds.ncopies);
    size_t ntps;
    const uintptr_t *tps = world_thread_pointers(&ntps);
    migrations_apply(&p->binds, tps, ntps);
    copy_values(p->put_back, p->nput_back);
    rc |= apply_redirects(p);
    move_returns(p);
    merge_symbols(pg, p);
    if (p->again)
        bring_back(pg, p);
    else
        take_new(pg, p);
    pointers_rewrite(&p->pointers, pg->gens, pg->ngens);
    for (size_t i = 0; i < p->nremoved_objs; i++)
        strmap_slot(&live->by_name, p->removed_objs[i]->name)->value = NULL;
    rc |= update_references(pg, p);
    rc |= plugin_refs_commit(p);
    rc |= patch_overwrites(p->overwrites, p->noverwrites);
    pg->generation++;
    return rc;
}
