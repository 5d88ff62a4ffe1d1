/* Symbol resolution, in GNU ld's order: the objects given, then archive
 * members pulled as ld scans each archive, then every archive again until
 * nothing new is pulled (as in --start-group), then shared libraries.
 * Symbols the linker itself provides (__start_SEC, _GLOBAL_OFFSET_TABLE_,
 * ...) are bound after layout. */
#include <stdio.h>
#include <string.h>

#include "demangle.h"
#include "linker.h"
#include "util.h"

/* In a reload: the running program's definition of s, if it has one. */
static bool bind_to_program(struct link *ld, struct symbol *s)
{
    return ld->opts->hooks && ld->opts->hooks->bind(ld, s);
}

/* Pull the member at off of archive a, for the symbol called name. */
static int pull_member(struct link *ld, struct archive *a, uintptr_t off, const char *name)
{
    bool fresh;
    struct object *obj = archive_extract(a, off, &fresh);
    if (!obj || (fresh && link_add_object(ld, obj) < 0))
        return -1;
    if (fresh && verbose)
        fprintf(stderr, "hotld: %s pulled for '%s'\n", obj->name, name);
    return 0;
}

/* Does the index entry for s pull the member at off, as GNU ld decides?
 * A strong reference nothing defines yet (not even the running program)
 * does; so does a common symbol the member really defines (`int x;`
 * built -fcommon yields to `int x = 5;` in a library), but not a member
 * with only another common of it. */
static bool wants_member(struct link *ld, struct archive *a, uintptr_t off, struct symbol *s)
{
    if (s->kind == SYM_UNDEF)
        return s->bind != STB_WEAK && !bind_to_program(ld, s);
    return s->kind == SYM_COMMON && archive_member_defines(a, off, s->name);
}

/* One archive as ld scans it: its index in order, each entry that wants
 * its member pulls it, and again until a pass pulls nothing; so what a
 * member needs comes from its own archive first. *pulled: whether any
 * member was. */
static int scan_archive(struct link *ld, struct archive *a, bool *pulled)
{
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < a->narsyms; i++) {
            struct symbol *s = strmap_get(&ld->symtab, a->arsyms[i].as_name);
            uintptr_t off = a->arsyms[i].as_off;
            if (!s || archive_has_pulled(a, off) || !wants_member(ld, a, off, s))
                continue;
            if (pull_member(ld, a, off, s->name) < 0)
                return -1;
            again = *pulled = true;
        }
    }
    return 0;
}

/* The archives in command-line order, as ld scans them; then all of them
 * again, as one --start-group, until nothing new is pulled (ld would
 * stop after the first pass and report what is still undefined). */
static int pull_archive_members(struct link *ld)
{
    for (bool pulled = true; pulled;) {
        pulled = false;
        for (size_t a = 0; a < ld->narchives; a++)
            if (scan_archive(ld, ld->archives[a], &pulled) < 0)
                return -1;
    }
    return 0;
}

static void bind_to(struct symbol *s, void *p, const struct dso *d)
{
    s->kind = SYM_DSO;
    s->addr = (uintptr_t)dso_interpose(s->name, p);
    s->dso = d->path;
}

/* The answer below without dlsym, in the common case: a library defines
 * the symbol itself, and every one before it surely does not. */
static bool bind_to_own_definition(struct link *ld, struct symbol *s)
{
    struct library_key key = library_key(s->name);
    for (size_t i = 0; i < ld->ndsos; i++) {
        struct dso *d = ld->dsos[i];
        void *p;
        if (d->as_needed && !d->handle)
            continue;
        switch (dso_own_definition(d, &key, &p)) {
        case DSO_DEFINES:
            if (!dso_holds(d, p)) /* a definition below takes only what it holds */
                return false;
            bind_to(s, p, d);
            return true;
        case DSO_LACKS:
            continue;
        case DSO_ASK:
            return false;
        }
    }
    return false;
}

/* ld.so's scope is breadth-first: every library the program names, in
 * order, before any library they depend on. dlsym on a library searches
 * its dependencies too, so a definition found there is taken only if no
 * library named later defines the symbol itself (-lm -lmymalloc: malloc
 * is libmymalloc's, not that of libm's libc). */
static bool bind_to_dso(struct link *ld, struct symbol *s, bool open_as_needed)
{
    if (!open_as_needed && bind_to_own_definition(ld, s))
        return true;
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
    if (first)
        bind_to(s, first, first_in);
    return first != NULL;
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

/* The libraries a language's compiler driver adds to every link, and the
 * names by which its objects refer to them (`gcc -v` shows them): g++
 * adds libstdc++ and libm, gfortran libgfortran, libm and libquadmath,
 * gdc libgphobos, libm and libz, gccgo libgobegin (its main) and libgo,
 * gnatlink gnat's library and, for tasking, libgnarl, both found in
 * gcc's adalib directory. */
static const struct runtime {
    const char *prefixes[7];
    const char *libs[4];
} runtimes[] = {
    {{"_Z", "__cxa_", "__gxx_personality", "__dynamic_cast"}, {"stdc++", "m"}},
    {{"_gfortran_", "_gfortrani_"}, {"gfortran", "m", "quadmath"}},
    {{"_d_", "__gdc_"}, {"gphobos", "m", "z"}},
    {{"runtime.", "__go_"}, {"gobegin", "go", "m"}},
    {{"system__tasking", "system__task_primitives", "system__interrupts", "ada__real_time", "ada__task_"},
     {":adalib/libgnarl.so", ":adalib/libgnat.so"}},
    {{"__gnat_", "ada__", "system__", "interfaces__", "gnat__", "__gl_"}, {":adalib/libgnat.so"}},
};

static bool refers_to(const struct runtime *rt, const char *name)
{
    for (const char *const *p = rt->prefixes; *p; p++)
        if (!strncmp(name, *p, strlen(*p)))
            return true;
    return false;
}

static bool is_installed(struct link *ld, const struct runtime *rt)
{
    for (const char *const *lib = rt->libs; *lib; lib++)
        if (!link_has_lib(ld, *lib))
            return false;
    return true;
}

static int add_libs(struct link *ld, const struct runtime *rt)
{
    for (const char *const *lib = rt->libs; *lib; lib++)
        if (link_add_lib(ld, *lib) < 0)
            return -1;
    return 0;
}

static bool needs_runtime(struct link *ld, const struct runtime *rt)
{
    for (size_t i = 0; i < ld->nundefs; i++) {
        struct symbol *s = ld->undefs[i];
        if (s->kind == SYM_UNDEF && refers_to(rt, s->name) && !bind_to_program(ld, s))
            return true;
    }
    return false;
}

/* A runtime that is not installed is not added: what refers to it is
 * then reported undefined, by name, as without it. Its archives are
 * marked, for the program's reloads. */
static int add_runtime(struct link *ld, const struct runtime *rt)
{
    size_t narchives = ld->narchives;
    if (!is_installed(ld, rt))
        return 0;
    if (add_libs(ld, rt) < 0)
        return -1;
    for (size_t a = narchives; a < ld->narchives; a++)
        ld->archives[a]->of_runtime = true;
    return 0;
}

/* Objects of a language get its runtime, as its driver adds it, once
 * nothing else provides the runtime's symbols. */
static int add_language_runtimes(struct link *ld)
{
    for (size_t r = 0; r < ARRAY_SIZE(runtimes); r++)
        if (needs_runtime(ld, &runtimes[r]) && add_runtime(ld, &runtimes[r]) < 0)
            return -1;
    return 0;
}

int link_add_runtime_archives_of(struct link *ld, const struct link *program)
{
    for (size_t a = 0; a < program->narchives; a++)
        if (program->archives[a]->of_runtime && link_add_path(ld, program->archives[a]->name, true, false) < 0)
            return -1;
    return 0;
}

/* A common symbol yields to a shared library's variable of its name, as
 * ld makes it (`int x;` built -fcommon beside a library's `int x = 7;`:
 * the program's x is the library's, 7). Not to a library function: ld
 * keeps a common whose name a function has (`int index;`, libc's
 * index()). */
static void yield_commons_to_libraries(struct link *ld)
{
    for (size_t i = 0; i < ld->symtab.cap; i++) {
        struct symbol *s = ld->symtab.slots[i].value;
        if (!s || s->kind != SYM_COMMON || bind_to_program(ld, s))
            continue;
        struct symbol probe = *s;
        if (bind_to_dso(ld, &probe, false) && !is_code_address(probe.addr))
            *s = probe;
    }
}

int link_resolve(struct link *ld)
{
    if (pull_archive_members(ld) < 0)
        return -1;
    size_t narchives = ld->narchives;
    if (add_language_runtimes(ld) < 0)
        return -1;
    /* a runtime's archive (gccgo's libgobegin) holds what the objects need */
    if (ld->narchives > narchives && pull_archive_members(ld) < 0)
        return -1;
    yield_commons_to_libraries(ld);
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
        /* in GNU ld's words, which editors and build tools look for */
        const char *by = missing->referrer ? missing->referrer->name : "the entry point";
        char *cxx = demangle(missing->name);
        const char *name = cxx ? cxx : missing->name;
        if (nmissing > 1)
            fail("%s: undefined reference to `%s', and %zu more undefined references", by, name, nmissing - 1);
        else
            fail("%s: undefined reference to `%s'", by, name);
        xfree(cxx);
        return -1;
    }
    return 0;
}
