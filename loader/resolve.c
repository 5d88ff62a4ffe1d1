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

/* Pull the first archive member that defines each strong undefined
 * symbol. The worklist grows as pulled members bring new references. */
static int pull_archive_members(struct link *ld)
{
    for (size_t i = 0; i < ld->nundefs; i++) {
        struct symbol *s = ld->undefs[i];
        if (s->kind == SYM_UNDEF && bind_to_program(ld, s))
            continue; /* the running program defines it */
        for (size_t a = 0; a < ld->narchives && s->kind == SYM_UNDEF; a++) {
            uintptr_t off = (uintptr_t)strmap_get(&ld->archives[a]->index, s->name);
            if (!off)
                continue;
            bool fresh;
            struct object *obj = archive_extract(ld->archives[a], off - 1, &fresh);
            if (!obj || (fresh && link_add_object(ld, obj) < 0))
                return -1;
            if (fresh && verbose)
                fprintf(stderr, "hotld: %s pulled for '%s'\n", obj->name, s->name);
        }
    }
    return 0;
}

static bool bind_to_dso(struct link *ld, struct symbol *s, bool open_as_needed)
{
    for (size_t i = 0; i < ld->ndsos; i++) {
        struct dso *d = ld->dsos[i];
        if (d->as_needed && !d->handle && !open_as_needed)
            continue;
        void *p = dso_lookup(d, s->name, open_as_needed);
        if (p) {
            s->kind = SYM_DSO;
            s->addr = (uintptr_t)dso_interpose(s->name, p);
            s->dso = d->path;
            return true;
        }
    }
    return false;
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
