/* Applying a reload to the running program, all or nothing:
 *   1. link the changed objects into a new image (incremental link); their
 *      variables keep the old storage where they match (databind.c), and
 *      their global functions keep their first address for &f
 *   2. park every program thread (stopworld.c) where no patch can hurt it
 *   3. commit: redirect every earlier version's functions to the new code,
 *      copy moved variables, update GOT slots and code that referenced
 *      data which moved, and merge the new symbols into the live table
 *   4. release the threads; run constructors of added objects only.
 * Anything that fails before step 3 discards the new image and leaves the
 * program exactly as it was. */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "activeness.h"
#include "elfimage.h"
#include "jit.h"
#include "reuse.h"
#include "snapshot.h"
#include "session.h"
#include "strbuf.h"
#include "stopworld.h"
#include "util.h"

extern char **environ;

struct patch {
    uintptr_t at, to;
};

struct plan {
    struct link *nl;
    struct patch *patches;
    size_t npatches, cappatches;
    struct bind_result binds;
    size_t changed, added, removed;     /* functions */
    struct symbol **moved;      /* live symbols whose address changes */
    size_t nmoved;
    struct object **removed_objs;
    size_t nremoved_objs, capremoved_objs;
    struct object **replaced;   /* per new object: the version it replaces */
    struct debug_swap *swaps;
    size_t nswaps;
    struct source_list sources; /* of the new objects, for snapshots */
    uintptr_t *tps;             /* room for every thread's thread pointer */
    struct activeness act;      /* old code that uses displaced variables */
    /* A version brought back (reuse.c): the earlier reload whose image
     * becomes current again; nl was only its rehearsal. */
    struct link *again;
    struct entry_restore *restores; /* its entries that jump on */
    size_t nrestores;
    struct data_save save;      /* the replaced objects' variables */
    struct var_copy *put_back;  /* a rollback's: their saved values */
    size_t nput_back;
};

unsigned session_version_of(const struct session *se, const struct object *obj)
{
    for (size_t g = 0; g < se->ngens; g++)
        if (se->gens[g] == obj->link)
            return (unsigned)g;
    return 0;
}

static void rekey_names(struct session *se, const struct object *obj);

/* obj becomes the current version of its name, first of the versions
 * most recently current. The one that leaves that list, unless it is the
 * first version (where &f leads), is read by nothing any more: only the
 * listed ones can be brought back (reuse.c), and the previous one is what
 * a rollback links again. Its records go (object_retire): reloading one
 * object a hundred times keeps five versions' records, not a hundred. */
static void make_current(struct session *se, struct object *obj)
{
    struct strmap_slot *slot = strmap_slot(&se->versions, obj->name);
    if (!slot->value)
        slot->value = xcalloc(1, sizeof(struct version_list));
    struct version_list *vl = slot->value;
    size_t at = 0, k = 0, left = SIZE_MAX;
    while (at < vl->n && vl->v[at] != obj)
        at++;
    if (at == vl->n)
        ARRAY_PUSH(vl->v, vl->n, vl->cap, obj);
    while (k < vl->nrecent && vl->recent[k] != at)
        k++;
    if (k == vl->nrecent) { /* not listed: it joins, the oldest may leave */
        if (vl->nrecent == VERSIONS_KEPT)
            left = vl->recent[--vl->nrecent];
        k = vl->nrecent++;
    }
    memmove(&vl->recent[1], &vl->recent[0], k * sizeof *vl->recent);
    vl->recent[0] = at;
    if (left != SIZE_MAX && left != 0 && vl->v[left]->elf) {
        rekey_names(se, vl->v[left]);
        object_retire(vl->v[left]);
    }
}

void session_record_versions(struct session *se, struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++)
        make_current(se, ld->objs[i]);
}

static void count_functions(struct plan *p, struct object *old, struct object *new)
{
    size_t nnew, nold;
    const struct func *fn = object_functions(new, &nnew), *fo = object_functions(old, &nold);
    for (size_t i = 0; i < nnew; i++) {
        const struct func *o = object_function(old, fn[i].name), *n = &fn[i];
        if (!o)
            p->added++;
        else if (!same_function(o, n))
            p->changed++;
    }
    for (size_t i = 0; i < nold; i++)
        p->removed += !object_function(new, fo[i].name);
}

/* The new body of each function of the new version, by name. */
static void index_functions(struct object *new, struct strmap *by_name)
{
    size_t n;
    const struct func *f = object_functions(new, &n);
    for (size_t i = n; i-- > 0;) /* the first of equal names wins */
        strmap_slot(by_name, f[i].name)->value = (void *)&f[i];
}

static void redirect_version(struct plan *p, struct object *old, struct strmap *new_funcs)
{
    size_t nf;
    const struct func *fs = object_functions(old, &nf);
    for (size_t i = 0; i < nf; i++) {
        const struct func *f = &fs[i], *n;
        if (func_is_redirectable(f) && (n = strmap_get(new_funcs, f->name)) && n->body != f->body) {
            struct patch pt = {f->body, n->body};
            ARRAY_PUSH(p->patches, p->npatches, p->cappatches, pt);
        }
    }
}

/* The first version's entries (where unchanged code, function pointers and
 * &f lead) and the current version's (what its own code, perhaps still
 * running, calls directly) jump to the new bodies. Versions in between
 * already jump on to later ones, so their callers reach the new code
 * through those; the cost of a reload stays the same however many came
 * before. */
static void plan_redirects(struct session *se, struct plan *p, struct object *new)
{
    struct version_list *vl = strmap_get(&se->versions, new->name);
    if (!vl)
        return;
    struct strmap new_funcs = {0};
    index_functions(new, &new_funcs);
    redirect_version(p, vl->v[0], &new_funcs);
    if (vl->recent[0] != 0)
        redirect_version(p, versions_current(vl), &new_funcs);
    strmap_free(&new_funcs);
}

static int plan_reload(struct session *se, struct plan *p)
{
    struct link *nl = p->nl, *live = se->live;
    p->replaced = xcalloc(nl->nobjs + 1, sizeof *p->replaced);
    for (size_t i = 0; i < nl->nobjs; i++) {
        struct object *new = nl->objs[i];
        struct object *old = strmap_get(&live->by_name, new->name);
        p->replaced[i] = old;
        new->added = !old;
        if (old) {
            if (databind_object(old, new, &p->binds) < 0)
                return -1;
            count_functions(p, old, new);
            plan_redirects(se, p, new);
        } else {
            size_t n;
            object_functions(new, &n);
            p->added += n;
        }
        struct version_list *vl = strmap_get(&se->versions, new->name);
        funcaddr_keep(live, vl ? vl->v[0] : NULL, new);
    }
    for (size_t i = 0; i < nl->nsuperseded; i++) {
        struct object *obj = nl->superseded[i];
        if (!strmap_get(&nl->by_name, obj->name))
            ARRAY_PUSH(p->removed_objs, p->nremoved_objs, p->capremoved_objs, obj);
    }
    return 0;
}

/* No parked thread may be inside the bytes a patch overwrites (its entry
 * itself is fine: it will execute the new jump). */
static bool patches_are_safe(const struct plan *p)
{
    size_t n;
    const struct parked *t = world_parked(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p->npatches; j++)
            if (t[i].ip > p->patches[j].at && t[i].ip < p->patches[j].at + JMP_SIZE)
                return false;
    return true;
}

static int with_writable(uintptr_t addr, size_t len, int prot_after, void (*write)(void *, const void *, size_t),
                         const void *src)
{
    size_t page = sysconf(_SC_PAGESIZE);
    uintptr_t start = addr & ~(page - 1), end = ALIGN_UP(addr + len, page);
    if (mprotect((void *)start, end - start, PROT_READ | PROT_WRITE) < 0)
        return fail("cannot make code writable for patching");
    write((void *)addr, src, len);
    mprotect((void *)start, end - start, prot_after);
    return 0;
}

static void copy_bytes(void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n);
}

static int by_place(const void *a, const void *b)
{
    const struct patch *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Write the jumps, making each run of code pages writable once. */
static void apply_redirects(struct plan *p)
{
    size_t page = sysconf(_SC_PAGESIZE);
    qsort(p->patches, p->npatches, sizeof *p->patches, by_place);
    for (size_t i = 0, j; i < p->npatches; i = j) {
        uintptr_t lo = p->patches[i].at & ~(page - 1);
        uintptr_t hi = ALIGN_UP(p->patches[i].at + JMP_SIZE, page);
        for (j = i + 1; j < p->npatches && p->patches[j].at < hi + page; j++)
            hi = ALIGN_UP(p->patches[j].at + JMP_SIZE, page);
        mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE);
        for (size_t k = i; k < j; k++) {
            uint8_t jmp[JMP_SIZE] = {0xe9};
            int32_t rel = (int32_t)(p->patches[k].to - (p->patches[k].at + JMP_SIZE));
            memcpy(jmp + 1, &rel, 4);
            memcpy((void *)p->patches[k].at, jmp, JMP_SIZE);
        }
        mprotect((void *)lo, hi - lo, PROT_READ | PROT_EXEC);
    }
}

/* Merge the new generation's symbols into the live table, remembering
 * which ones changed address. */
static void merge_symbols(struct session *se, struct plan *p)
{
    struct link *live = se->live, *nl = p->nl;
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
                    p->moved[p->nmoved++] = l;
                symbol_take_definition(l, s);
            } else if (l->kind == SYM_UNDEF && s->kind != SYM_UNDEF) {
                l->kind = s->kind;
                l->addr = s->addr;
                l->dso = s->dso;
            }
        }
    }
    /* Definitions that left with a removed object: weak references to
     * them are 0 again (incremental_check_references let no other kind
     * through). */
    for (size_t i = 0; i < nl->nsuperseded; i++) {
        struct object *gone = nl->superseded[i];
        for (size_t j = 1; j < gone->nsyms; j++) {
            struct symbol *l = gone->syms[j];
            if (!l->global || l->kind != SYM_DEFINED || l->file != gone)
                continue; /* a local, or made again by the new version */
            p->moved[p->nmoved++] = l;
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

static bool refers_to(const struct section *sec, struct symbol **syms, struct symbol **set, size_t n)
{
    for (size_t k = 0; k < sec->nrelas; k++) {
        const struct symbol *s = syms[ELF64_R_SYM(sec->relas[k].r_info)];
        for (size_t i = 0; i < n; i++)
            if (s == set[i])
                return true;
    }
    return false;
}

static void relocate_again(struct section *sec)
{
    size_t page = sysconf(_SC_PAGESIZE);
    uintptr_t start = sec->addr & ~(page - 1), end = ALIGN_UP(sec->addr + sec->size, page);
    mprotect((void *)start, end - start, PROT_READ | PROT_WRITE);
    relocate_section(sec->obj->link, sec, RELOC_ALL);
    mprotect((void *)start, end - start, segment_prot(sec->out->seg));
}

/* Code and data of the rest of the program that reached a variable whose
 * address changed (it was re-initialized or moved) are relocated again,
 * and GOT slots of every generation are brought up to date. */
static void update_references(struct session *se, struct symbol **moved, size_t nmoved)
{
    struct link *live = se->live;
    for (size_t i = 0; nmoved && i < live->by_name.cap; i++) {
        struct object *obj = live->by_name.slots[i].value;
        if (!obj || obj->superseded)
            continue;
        for (size_t j = 1; j < obj->nsecs; j++)
            if (obj->secs[j].out && refers_to(&obj->secs[j], obj->syms, moved, nmoved))
                relocate_again(&obj->secs[j]);
    }
    for (size_t g = 0; g < se->ngens; g++) {
        struct link *ld = se->gens[g];
        uint64_t *got = (uint64_t *)ld->image->got;
        for (size_t i = 0; i < ld->ngot; i++) {
            uint64_t v = got_value(ld, &ld->got[i]);
            if (got[i] != v)
                with_writable((uintptr_t)&got[i], 8, PROT_READ, copy_bytes, &v);
        }
        for (size_t i = 0; i < ld->nstubs; i++) {
            const struct symbol *s = ld->stubs[i];
            uint64_t want = s->call_addr ? s->call_addr : s->addr, have;
            uintptr_t target = ld->image->stubs + i * 16 + 6; /* jmp *0(%rip); .quad */
            memcpy(&have, (void *)target, 8); /* not 8-byte aligned */
            if (have != want)
                with_writable(target, 8, PROT_READ | PROT_EXEC, copy_bytes, &want);
        }
    }
}

/* What a debugger sees changes with the program: the new generation gets
 * an image, and each older generation that loses objects gets a new one
 * without them (made before the stop; swapped while the threads are
 * parked, so no thread runs new code before a debugger has its breakpoints
 * there, and each old image goes before its replacement comes, so
 * breakpoints move instead of doubling). */
struct debug_swap {
    struct link *ld;
    void *image, *entry;        /* the replacement; NULL: none */
};

/* Does this reload replace or drop an object of generation g? */
static bool loses_objects(const struct link *nl, const struct link *g)
{
    for (size_t i = 0; i < nl->nsuperseded; i++)
        if (nl->superseded[i]->link == g)
            return true;
    return false;
}

static void make_debug_image(struct session *se, struct link *ld, struct object **objs, size_t n,
                             struct object **old, size_t nold, unsigned version,
                             struct source_list *sources, struct debug_swap *sw)
{
    size_t size;
    sw->ld = ld;
    sw->image = n + nold ? elfimage_build(ld, objs, n, old, nold, version, se->source_root, sources, &size)
                         : NULL;
    sw->entry = sw->image ? jit_entry_new(sw->image, size) : NULL;
}

static void prepare_debug_images(struct session *se, struct plan *p)
{
    p->swaps = xcalloc(se->ngens + 2, sizeof *p->swaps);
    if (p->again) /* current again: its names are no longer NAME#N */
        make_debug_image(se, p->again, p->again->objs, p->again->nobjs, NULL, 0, 0, NULL,
                         &p->swaps[p->nswaps++]);
    else
        make_debug_image(se, p->nl, p->nl->objs, p->nl->nobjs, NULL, 0, 0, &p->sources,
                         &p->swaps[p->nswaps++]);
    for (size_t g = 0; g < se->ngens; g++) {
        struct link *ld = se->gens[g];
        if (!ld->debug_entry || !loses_objects(p->nl, ld))
            continue;
        /* objects replaced now or earlier keep their names, as NAME@g */
        struct object **keep = xcalloc(ld->nobjs + 1, sizeof *keep);
        struct object **old = xcalloc(ld->nobjs + 1, sizeof *old);
        size_t n = 0, nold = 0;
        for (size_t i = 0; i < ld->nobjs; i++)
            if (ld->objs[i]->elf) {
                if (ld->objs[i]->superseded)
                    old[nold++] = ld->objs[i];
                else
                    keep[n++] = ld->objs[i];
            }
        make_debug_image(se, ld, keep, n, old, nold, g, NULL, &p->swaps[p->nswaps++]);
        free(keep);
        free(old);
    }
}

/* Images change before any code is patched: a debugger removing a
 * breakpoint it had put at an old function's entry writes back the byte it
 * saved (gdb does so when it re-sets breakpoints for the new image), which
 * would break the jump a reload writes there. Old images go first, so that
 * breakpoints move instead of doubling. */
static void retire_debug_images(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++)
        if (p->swaps[i].ld->debug_entry)
            jit_entry_remove(p->swaps[i].ld->debug_entry);
}

/* Then the new ones come. */
static void publish_debug_images(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++) {
        struct debug_swap *sw = &p->swaps[i];
        void *old_image = sw->ld->debug_image, *old_entry = sw->ld->debug_entry;
        if (sw->entry)
            jit_entry_add(sw->entry);
        sw->ld->debug_image = sw->image;
        sw->ld->debug_entry = sw->entry;
        sw->image = old_image; /* freed after the threads run again */
        sw->entry = old_entry;
    }
}

/* After a commit: the images replaced; after a failure: the ones made. */
static void free_debug_swaps(struct plan *p)
{
    for (size_t i = 0; i < p->nswaps; i++) {
        jit_entry_free(p->swaps[i].entry);
        free(p->swaps[i].image);
    }
    free(p->swaps);
    p->swaps = NULL;
    p->nswaps = 0;
}

/* Everything the commit needs from the heap, taken before the threads
 * are parked: a parked thread may hold a malloc arena's lock, or libgcc's
 * frame registry lock, and the commit must not wait for it. Table slots
 * created here with a NULL value read as absent until the commit fills
 * them. */
/* The thread pointers of the parked threads and of this one (it may be a
 * program thread, under hotld_poll), into p->tps. */
static size_t collect_thread_pointers(struct plan *p)
{
    size_t n;
    const struct parked *t = world_parked(&n);
    for (size_t i = 0; i < n && i < WORLD_MAX_THREADS; i++)
        p->tps[i] = t[i].tp;
    n = n < WORLD_MAX_THREADS ? n : WORLD_MAX_THREADS;
    p->tps[n] = thread_pointer();
    return n + 1;
}

static void prepare_commit(struct session *se, struct plan *p)
{
    struct link *nl = p->nl, *live = se->live;
    p->tps = xcalloc(WORLD_MAX_THREADS + 1, sizeof *p->tps);
    migrations_prepare(&p->binds);
    activeness_plan(&p->act, se, &p->binds);
    size_t globals = 0;
    for (size_t i = 0; i < nl->nobjs; i++)
        for (size_t j = 1; j < nl->objs[i]->nsyms; j++)
            if (nl->objs[i]->syms[j]->global) {
                symtab_get(live, nl->objs[i]->syms[j]->name);
                globals++;
            }
    for (size_t i = 0; i < nl->nsuperseded; i++)
        globals += nl->superseded[i]->nsyms;
    p->moved = xcalloc(globals + 1, sizeof *p->moved);
    for (size_t i = 0; !p->again && i < nl->nobjs; i++)
        strmap_slot(&live->by_name, nl->objs[i]->name);
    for (size_t i = 0; !p->again && i < nl->archives_by_name.cap; i++)
        if (nl->archives_by_name.slots[i].key)
            strmap_slot(&live->archives_by_name, nl->archives_by_name.slots[i].key);
    grow_array((void **)&se->gens, &se->capgens, se->ngens + 1, sizeof *se->gens);
    if (!p->again) /* a version brought back has its unwind tables */
        link_publish(nl); /* unwind tables of code nothing can reach yet */
    activeness_prime(&p->act);
    prepare_debug_images(se, p);
    if (se->rollback) {
        datasave_plan(&p->save, p->replaced, nl->nobjs);
        datasave_plan(&p->save, p->removed_objs, p->nremoved_objs);
    }
    if (se->rolling_back)
        datasave_put_back(&se->saved, nl, &p->put_back, &p->nput_back);
}

/* A version brought back runs its own code again from its entries. This
 * happens while its debug image is away: a debugger puts breakpoints in
 * when the image comes, saving the bytes it finds, and would write back
 * the jump it saved otherwise. */
static void restore_entries(struct plan *p)
{
    for (size_t i = 0; i < p->nrestores; i++)
        with_writable(p->restores[i].at, JMP_SIZE, PROT_READ | PROT_EXEC, copy_bytes, p->restores[i].bytes);
}

/* And the live records describe its objects, not the rehearsal's copies. */
static void bring_back(struct session *se, struct plan *p)
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
        strmap_slot(&se->live->by_name, obj->name)->value = obj;
    }
    se->last_brought = p->again;
}

/* The new link's objects and archives become the program's. */
static void take_new(struct session *se, struct plan *p)
{
    struct link *nl = p->nl, *live = se->live;
    se->gens[se->ngens++] = nl;
    for (size_t i = 0; i < nl->nobjs; i++)
        strmap_slot(&live->by_name, nl->objs[i]->name)->value = nl->objs[i];
    for (size_t i = 0; i < nl->archives_by_name.cap; i++)
        if (nl->archives_by_name.slots[i].key)
            strmap_slot(&live->archives_by_name, nl->archives_by_name.slots[i].key)->value =
                nl->archives_by_name.slots[i].value;
    se->last_brought = nl;
}

static void copy_values(const struct var_copy *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        memcpy((void *)c[i].to, (const void *)c[i].from, c[i].size);
}

/* Runs with every program thread parked: no allocation, no locks. */
static void commit(struct session *se, struct plan *p)
{
    struct link *live = se->live;
    retire_debug_images(p);
    restore_entries(p);
    publish_debug_images(p);
    datasave_take(&p->save);
    copy_values(p->binds.copies, p->binds.ncopies);
    migrations_apply(&p->binds, p->tps, collect_thread_pointers(p));
    copy_values(p->put_back, p->nput_back);
    apply_redirects(p);
    merge_symbols(se, p);
    if (p->again)
        bring_back(se, p);
    else
        take_new(se, p);
    migrations_rewrite_pointers(&p->binds, se->gens, se->ngens);
    for (size_t i = 0; i < p->nremoved_objs; i++)
        strmap_slot(&live->by_name, p->removed_objs[i]->name)->value = NULL;
    update_references(se, p->moved, p->nmoved);
    se->generation++;
}

/* "hotld: reloaded a.o, b.o: 3 functions changed, 1 added, 0 removed;
 *  12 variables kept, 0 migrated, 0 reset, 1 new (1.4 ms)", then one line
 * per migrated variable and the warnings. */
static char *describe(const struct session *se, const struct plan *p, double ms)
{
    struct strbuf sb = {0};
    sb_printf(&sb, "hotld: reloaded ");
    for (size_t i = 0; i < p->nl->nobjs; i++)
        sb_printf(&sb, "%s%s%s", i ? ", " : "", p->nl->objs[i]->added ? "new " : "",
                  path_base(p->nl->objs[i]->name));
    for (size_t i = 0; i < p->nremoved_objs; i++)
        sb_printf(&sb, "%sremoved %s", i || p->nl->nobjs ? ", " : "", path_base(p->removed_objs[i]->name));
    sb_printf(&sb, ": %zu functions changed, %zu added, %zu removed; ", p->changed, p->added, p->removed);
    sb_printf(&sb, "%zu variables kept, %zu migrated, %zu reset, %zu new", p->binds.kept + p->binds.moved,
              p->binds.migrated + p->binds.user_migrated, p->binds.reset, p->binds.added);
    sb_printf(&sb, " (%.1f ms)", ms);
    if (p->again) {
        sb_printf(&sb, "\nhotld: ");
        for (size_t i = 0; i < p->again->nobjs; i++)
            sb_printf(&sb, "%s%s", i ? ", " : "", path_base(p->again->objs[i]->name));
        sb_printf(&sb, ": version %u again (its code was still loaded)", session_version_of(se, p->again->objs[0]));
    }
    for (size_t i = 0; i < p->binds.nnotes; i++)
        sb_printf(&sb, "\nhotld: %s", p->binds.notes[i]);
    for (size_t i = 0; i < p->binds.nwarnings; i++)
        sb_printf(&sb, "\nhotld: warning: %s", p->binds.warnings[i]);
    return sb.s;
}

static void free_fates(struct var_fate *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].name);
        free(f[i].object);
    }
    free(f);
}

/* Keep what the debugger helper shows: the report and the variables.
 * Only the last reloads' reports are kept, so that a session reloading
 * all day keeps the same memory. */
#define HISTORY_KEPT 64

static void record_reload(struct session *se, struct plan *p, const char *report)
{
    struct reload_record r = {se->generation, xstrdup(report)};
    if (se->nhistory == HISTORY_KEPT) {
        free(se->history[0].report);
        memmove(se->history, se->history + 1, --se->nhistory * sizeof *se->history);
    }
    ARRAY_PUSH(se->history, se->nhistory, se->caphistory, r);
    free_fates(se->fates, se->nfates);
    se->fates = p->binds.fates;
    se->nfates = p->binds.nfates;
    p->binds.fates = NULL;
    p->binds.nfates = 0;
}

static void free_plan(struct plan *p)
{
    bind_result_free(&p->binds);
    free(p->patches);
    free(p->tps);
    activeness_free(&p->act);
    free(p->removed_objs);
    free(p->replaced);
    free(p->moved);
    free(p->restores);
    free(p->put_back);
    datasave_free(&p->save);
    source_list_free(&p->sources);
}

/* Undo what a failed reload's link did to the running program's records. */
static void abandon(struct link *nl)
{
    incremental_forget_superseded(nl);
    tls_unpublish(nl);
    image_release(nl->image);
    link_free(nl);
}

static int rewrite_local_refs(struct link *nl)
{
    for (size_t i = 0; i < nl->nobjs; i++)
        if (funcaddr_rewrite_local_refs(nl->objs[i]) < 0)
            return -1;
    return 0;
}

/* Symbol names of the live table that point into obj's own bytes get a
 * copy of their own, before those bytes go. */
static void rekey_names(struct session *se, const struct object *obj)
{
    struct strmap *syms = &se->live->symtab;
    const char *lo = obj->file.bytes, *hi = lo + obj->file.size;
    if (!lo)
        return; /* an archive member: the archive keeps its bytes */
    for (size_t i = 0; i < syms->cap; i++) {
        struct strmap_slot *slot = &syms->slots[i];
        if (slot->key && slot->key >= lo && slot->key < hi) {
            char *copy = xstrdup(slot->key);
            slot->key = copy;
            ((struct symbol *)slot->value)->name = copy;
        }
    }
}

static size_t live_objects(struct session *se)
{
    size_t n = 0;
    for (size_t i = 0; i < se->live->by_name.cap; i++)
        n += se->live->by_name.slots[i].value != NULL;
    return n;
}

/* Park the threads where nothing of the commit can hurt them: outside the
 * bytes being patched, and out of old code that uses a variable whose
 * storage moves. Until then, let them run on and try again, up to
 * --reload-timeout. */
static int stop_safely(struct session *se, struct plan *p)
{
    int timeout = p->nl->opts->reload_timeout_ms ? p->nl->opts->reload_timeout_ms : se->reload_timeout_ms;
    double deadline = now_ms() + timeout;
    for (;;) {
        int left = (int)(deadline - now_ms());
        if (world_stop(left > 0 ? left : 1, timeout) < 0) /* the last try may be too short */
            return p->act.blocker ? activeness_fail(&p->act, timeout) : -1;
        bool patches_ok = patches_are_safe(p);
        if (patches_ok && activeness_clear(&p->act))
            return 0;
        world_resume();
        if (now_ms() > deadline && !patches_ok)
            return fail("a thread stayed inside the first bytes of a function being replaced "
                        "for %d ms (--reload-timeout)", timeout);
        if (now_ms() > deadline)
            return activeness_fail(&p->act, timeout);
        if (patches_ok)
            usleep(1000); /* old code runs its course */
        else
            sched_yield(); /* let the threads run on past the entry */
    }
}

/* Constructors of already-initialized objects must not run again; an
 * object that is new to the program gets its constructors, as at start. */
static void run_added_constructors(const struct session *se, const struct link *nl)
{
    bool any = false;
    for (size_t i = 0; i < nl->nobjs; i++)
        any |= nl->objs[i]->added;
    if (any)
        run_init(nl->image, se->argc, se->argv, environ);
}

/* Every step that can fail is behind; park the threads, commit, and
 * finish. 1: applied; -1: the threads could not be parked safely. */
static int apply_plan(struct session *se, struct plan *p, double start, char **report)
{
    prepare_commit(se, p);
    if (stop_safely(se, p) < 0) {
        link_unpublish(p->nl);
        free_debug_swaps(p);
        return -1;
    }
    commit(se, p);
    world_resume();
    free_debug_swaps(p);
    datasave_free(&se->saved);
    se->saved = p->save; /* what a rollback of this reload puts back */
    p->save = (struct data_save){0};
    if (p->again) {
        for (size_t i = 0; i < p->nl->nobjs; i++)
            rekey_names(se, p->nl->objs[i]); /* the rehearsal's records go */
        session_record_versions(se, p->again);
    } else {
        link_trim(p->nl);
        snapshot_sources(se->source_root, se->ngens - 1, &p->sources);
        session_record_versions(se, p->nl);
        run_added_constructors(se, p->nl);
    }
    *report = describe(se, p, now_ms() - start);
    record_reload(se, p, *report);
    return 1;
}

/* Is the rehearsal g's image? Linked from g's own bytes at g's place,
 * with no variable needing new storage, it must come out byte for byte
 * as g is, but for the jumps at its entries. */
static bool rehearse(struct session *se, struct plan *p)
{
    struct link *nl = p->nl;
    if (link_read(nl) < 0 || !reuse_same_objects(nl, p->again) || link_resolve_and_lay_out(nl) < 0 ||
        plan_reload(se, p) < 0)
        return false;
    bool replaces_each = p->nremoved_objs == 0;
    for (size_t i = 0; i < nl->nobjs; i++)
        replaces_each &= !nl->objs[i]->added; /* an added one would want its constructors */
    return replaces_each && reuse_needs_nothing_new(nl, &p->binds) &&
           link_relocate(nl) == 0 && rewrite_local_refs(nl) == 0 &&
           reuse_same_image(nl, p->again, &p->restores, &p->nrestores);
}

/* The objects of the earlier reload g are back, byte for byte (an edit
 * undone, two versions tried in turn, a rollback): make g current again
 * if its image is what linking them now gives (reuse.c). 1: done; 0: it
 * is not, load a copy; -1: the threads could not be parked. */
static int reload_again(struct session *se, const struct link_options *opts, struct link *g, double start,
                        char **report)
{
    struct strmap override = {0};
    for (size_t i = 0; i < g->nobjs; i++)
        strmap_slot(&override, g->objs[i]->name)->value = g->objs[i];
    struct link_options o = *opts;
    o.override = &override;
    o.on_conflict = CONFLICT_ABORT; /* a variable that would change rules it out */
    o.ask = NULL;
    struct plan p = {.nl = link_new(&o), .again = g};
    p.nl->rehearse_at = g->image;
    int rc = rehearse(se, &p) ? apply_plan(se, &p, start, report) : 0;
    if (rc == 1) {
        image_release(p.nl->image);
        link_free(p.nl);
    } else {
        abandon(p.nl);
    }
    if (rc == 0)
        clear_error(); /* why it is not the same image is no error */
    free_plan(&p);
    strmap_free(&override);
    return rc;
}

int reload_apply(struct session *se, struct link_options *opts, char **report)
{
    double start = now_ms();
    opts->live = se->live;
    opts->host = &se->host;
    struct plan p = {.nl = link_new(opts)};
    if (link_read(p.nl) < 0) {
        abandon(p.nl);
        return -1;
    }
    struct link *earlier = reuse_candidate(se, p.nl);
    int rc = earlier ? reload_again(se, opts, earlier, start, report) : 0;
    if (rc != 0) {
        abandon(p.nl);
        return rc;
    }
    if (link_resolve_and_lay_out(p.nl) < 0) {
        abandon(p.nl);
        return -1;
    }
    size_t unchanged = opts->only_changed ? live_objects(se) - p.nl->nobjs
                                          : p.nl->seen.len - p.nl->nobjs;
    if (p.nl->nobjs == 0 && p.nl->nsuperseded == 0) {
        *report = xasprintf("hotld: nothing to reload (%zu inputs unchanged)", unchanged);
        abandon(p.nl);
        return 0;
    }
    if (plan_reload(se, &p) < 0 || link_relocate(p.nl) < 0 || rewrite_local_refs(p.nl) < 0 ||
        apply_plan(se, &p, start, report) < 0) {
        free_plan(&p);
        abandon(p.nl);
        return -1;
    }
    free_plan(&p);
    return 1;
}
