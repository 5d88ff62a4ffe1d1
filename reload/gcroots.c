/* Garbage collectors that find their roots where the dynamic linker says
 * the program's segments are. druntime's registers, as the program
 * starts, the writable segments and the thread-local block of the image
 * that holds its module table (gcc/sections/elf.d, through
 * dl_iterate_phdr: loader/modules.c lists each image). A reload's image
 * is not that one: variables it adds would hold the only reference to
 * memory the collector then frees. So before the threads are parked, its
 * writable segments are added as roots (gc_addRange), and taken out
 * again if the reload fails. Thread-local storage cannot be added that
 * way (each thread has its copy, and threads started later would have
 * theirs unscanned): a reload that adds thread-local variables to such a
 * program is refused, naming one.
 *
 * gccgo's packages tell libgo their types and their roots themselves,
 * once, from their initialization at the start; a package's new version
 * has no way to. A reload of Go code is refused. */
#include <dlfcn.h>
#include <string.h>

#include "demangle.h"
#include "plan.h"
#include "util.h"

typedef void gc_add_range_fn(const void *p, size_t size, const void *typeinfo);
typedef void gc_remove_range_fn(const void *p);

/* The process's druntime, if it has one: one lookup for a program
 * without (each reload asks twice). */
static bool druntime(gc_add_range_fn **add, gc_remove_range_fn **remove)
{
    if (!dlsym(RTLD_DEFAULT, "_d_dso_registry"))
        return false;
    *add = (gc_add_range_fn *)dlsym(RTLD_DEFAULT, "gc_addRange");
    *remove = (gc_remove_range_fn *)dlsym(RTLD_DEFAULT, "gc_removeRange");
    return *add && *remove;
}

/* A thread-local variable the reload adds: one in no block the program
 * had (kept ones are in theirs). */
static const struct symbol *added_thread_local(const struct link *nl)
{
    struct tls_place own, at;
    tls_own_block(nl, &own);
    for (size_t i = 0; i < nl->nobjs; i++)
        for (size_t j = 1; j < nl->objs[i]->nsyms; j++) {
            const struct symbol *s = nl->objs[i]->syms[j];
            bool defined_here = s->kind == SYM_DEFINED && s->file == nl->objs[i];
            if (s->type == STT_TLS && defined_here && (tls_locate(s->addr, &at) < 0 || (own.modid && at.modid == own.modid)))
                return s;
        }
    return NULL;
}

/* gccgo's objects carry the package's export data. */
static bool is_go_package(const struct object *obj)
{
    for (size_t i = 1; i < obj->nsecs; i++)
        if (!strcmp(obj->secs[i].name, ".go_export"))
            return true;
    return false;
}

int gc_roots_check(const struct plan *p)
{
    for (size_t i = 0; i < p->nl->nobjs; i++)
        if (is_go_package(p->nl->objs[i]))
            return fail("%s: Go code cannot be reloaded: each package registers its types and its "
                        "garbage collector's roots with libgo once, as the program starts; restart the program",
                        path_shown(p->nl->objs[i]->name));
    gc_add_range_fn *add;
    gc_remove_range_fn *remove;
    const struct symbol *s = druntime(&add, &remove) ? added_thread_local(p->nl) : NULL;
    if (!s)
        return 0;
    char *name = source_name(s->name);
    fail("%s: the reload adds the thread-local variable '%s', and druntime's garbage collector scans "
         "only the thread-local storage there was at the start: make it __gshared (or shared), or "
         "restart the program", path_shown(s->file->name), name);
    xfree(name);
    return -1;
}

/* Each writable segment of the reload's image, to the collector or back. */
static void each_writable_segment(const struct link *nl, bool adding)
{
    gc_add_range_fn *add;
    gc_remove_range_fn *remove;
    if (!druntime(&add, &remove))
        return;
    const struct image *im = nl->image;
    static const enum segment writable[] = {SEG_RELRO, SEG_DATA};
    for (size_t i = 0; i < ARRAY_SIZE(writable); i++) {
        uintptr_t start = im->seg_start[writable[i]], end = im->seg_end[writable[i]];
        if (end <= start)
            continue;
        if (adding)
            add((const void *)start, end - start, NULL);
        else
            remove((const void *)start);
    }
}

void gc_roots_add(const struct plan *p)
{
    each_writable_segment(p->nl, true);
}

void gc_roots_remove(const struct plan *p)
{
    each_writable_segment(p->nl, false);
}
