/* Symbol resolution, in GNU ld's order: the objects given, then archive
 * members pulled on demand until nothing new is pulled (every archive is
 * searched for every symbol, as in --start-group), then shared libraries.
 * Symbols the linker itself provides (__start_SEC, _GLOBAL_OFFSET_TABLE_,
 * ...) are bound after layout. */
#include <stdio.h>
#include <string.h>

#include "linker.h"
#include "util.h"

/* In a reload: the running program's definition of s, if it has one. */
static bool bind_to_program(struct link *ld, struct symbol *s)
{
    return ld->opts->hooks && ld->opts->hooks->bind(ld, s);
}

/* Pull the member at off of archive a, for the symbol called name. */
static int pull_member(struct link *ld, size_t a, uintptr_t off, const char *name)
{
    bool fresh;
    struct object *obj = archive_extract(ld->archives[a], off, &fresh);
    if (obj && fresh)
        obj->archive_floor = a;
    if (!obj || (fresh && link_add_object(ld, obj) < 0))
        return -1;
    if (fresh && verbose)
        fprintf(stderr, "hotld: %s pulled for '%s'\n", obj->name, name);
    return 0;
}

/* The k-th archive to search for what obj needs, as ld scans them: the
 * one obj came from (or the first after it on the command line), then
 * the later ones; then, as if all were in one --start-group, the earlier
 * ones, which ld would have passed already. */
static size_t archive_in_order(const struct link *ld, const struct object *obj, size_t k)
{
    size_t floor = obj ? obj->archive_floor : 0;
    return (floor + k) % ld->narchives;
}

/* Pull the first archive member that defines each strong undefined
 * symbol, from undefs[*next] on. The worklist grows as pulled members
 * bring new references. */
static int pull_for_undefined(struct link *ld, size_t *next)
{
    for (; *next < ld->nundefs; ++*next) {
        struct symbol *s = ld->undefs[*next];
        if (s->kind == SYM_UNDEF && bind_to_program(ld, s))
            continue; /* the running program defines it */
        for (size_t k = 0; k < ld->narchives && s->kind == SYM_UNDEF; k++) {
            size_t a = archive_in_order(ld, s->referrer, k);
            uintptr_t off = (uintptr_t)strmap_get(&ld->archives[a]->index, s->name);
            if (off && pull_member(ld, a, off - 1, s->name) < 0)
                return -1;
        }
    }
    return 0;
}

/* A common symbol yields to a real definition in an archive member, which
 * GNU ld pulls for it (`int x;` built -fcommon, `int x = 5;` in a
 * library: x is 5). *pulled: whether one was. */
static int pull_for_commons(struct link *ld, bool *pulled)
{
    struct symbol **commons = NULL; /* first: pulling grows the table */
    size_t n = 0, cap = 0, before = ld->nobjs;
    for (size_t i = 0; ld->narchives && i < ld->symtab.cap; i++) {
        struct symbol *s = ld->symtab.slots[i].value;
        if (s && s->kind == SYM_COMMON)
            ARRAY_PUSH(commons, n, cap, s);
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        for (size_t k = 0; k < ld->narchives && commons[i]->kind == SYM_COMMON && rc == 0; k++) {
            size_t a = archive_in_order(ld, commons[i]->file, k);
            uintptr_t off = (uintptr_t)strmap_get(&ld->archives[a]->index, commons[i]->name);
            if (off && archive_member_defines(ld->archives[a], off - 1, commons[i]->name))
                rc = pull_member(ld, a, off - 1, commons[i]->name);
        }
    xfree(commons);
    *pulled = ld->nobjs > before;
    return rc;
}

static int pull_archive_members(struct link *ld)
{
    size_t next = 0;
    bool pulled = true;
    while (pulled) {
        if (pull_for_undefined(ld, &next) < 0 || pull_for_commons(ld, &pulled) < 0)
            return -1;
    }
    return 0;
}

/* ld.so's scope is breadth-first: every library the program names, in
 * order, before any library they depend on. dlsym on a library searches
 * its dependencies too, so a definition found there is taken only if no
 * library named later defines the symbol itself (-lm -lmymalloc: malloc
 * is libmymalloc's, not that of libm's libc). */
static bool bind_to_dso(struct link *ld, struct symbol *s, bool open_as_needed)
{
    void *first = NULL;
    struct dso *first_in = NULL;
    for (size_t i = 0; i < ld->ndsos; i++) {
        struct dso *d = ld->dsos[i];
        if (d->as_needed && !d->handle && !open_as_needed)
            continue;
        void *p = dso_lookup(d, s->name, open_as_needed);
        if (p && !first)
            first = p, first_in = d;
        if (p && dso_holds(d, p)) {
            first = p, first_in = d;
            break;
        }
    }
    if (!first)
        return false;
    s->kind = SYM_DSO;
    s->addr = (uintptr_t)dso_interpose(s->name, first);
    s->dso = first_in->path;
    return true;
}

static bool bind_to_host(struct link *ld, struct symbol *s)
{
    void *p = ld->opts->host ? strmap_get(ld->opts->host, s->name) : NULL;
    if (p) {
        s->kind = SYM_EXTERNAL;
        s->addr = (uintptr_t)p;
    }
    return p != NULL;
}

static void bind_undefined(struct link *ld, struct symbol *s)
{
    if (is_linker_defined(s->name))
        s->kind = SYM_LINKER;
    else if (!bind_to_program(ld, s) && !bind_to_host(ld, s) && !bind_to_dso(ld, s, false))
        bind_to_dso(ld, s, true);
}

static bool is_cxx_runtime_symbol(const char *name)
{
    return !strncmp(name, "_Z", 2) || !strncmp(name, "__cxa_", 6) ||
           !strncmp(name, "__gxx_personality", 17) || !strcmp(name, "__dynamic_cast");
}

/* C++ objects get libstdc++ and libm, as g++'s driver adds them, once
 * nothing else provides their runtime's symbols. */
static int add_cxx_runtime(struct link *ld)
{
    for (size_t i = 0; i < ld->nundefs; i++) {
        const struct symbol *s = ld->undefs[i];
        if (s->kind == SYM_UNDEF && is_cxx_runtime_symbol(s->name) && !bind_to_program(ld, ld->undefs[i]))
            return link_add_lib(ld, "stdc++") < 0 || link_add_lib(ld, "m") < 0 ? -1 : 0;
    }
    return 0;
}

int link_resolve(struct link *ld)
{
    if (pull_archive_members(ld) < 0 || add_cxx_runtime(ld) < 0)
        return -1;
    struct symbol *missing = NULL;
    size_t nmissing = 0;
    for (size_t i = 0; i < ld->nobjs; i++) {
        struct object *obj = ld->objs[i];
        for (size_t j = 1; j < obj->nsyms; j++) {
            struct symbol *s = obj->syms[j];
            if (s->kind != SYM_UNDEF || s->bind == STB_LOCAL || s->visited)
                continue;
            s->visited = true;
            bind_undefined(ld, s);
            if (s->kind == SYM_UNDEF && s->bind != STB_WEAK) {
                if (!missing)
                    missing = s;
                nmissing++;
            }
        }
    }
    if (missing) {
        const char *by = missing->referrer ? missing->referrer->name : "the entry point";
        if (nmissing > 1)
            return fail("undefined symbol '%s' (referenced by %s), and %zu more undefined symbols",
                        missing->name, by, nmissing - 1);
        return fail("undefined symbol '%s' (referenced by %s)", missing->name, by);
    }
    return 0;
}
