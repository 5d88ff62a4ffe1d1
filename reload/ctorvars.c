/* The variables an object's constructors set: a C++ dynamic initializer's
 * (a std::string's, a vector's), or what a C __attribute__((constructor))
 * function fills. A reload does not run a running object's constructors
 * again, so such a variable's initial value is not bytes that a reset
 * could copy, and an edit of its initializer is an edit of code. */
#include <stdlib.h>
#include <string.h>

#include "ctorvars.h"
#include "insn.h"
#include "reloctarget.h"
#include "samefunc.h"
#include "util.h"

/* .init_array and .preinit_array, or gcc's older .ctors. */
static bool is_constructor_list(const struct section *s)
{
    return s->type == SHT_INIT_ARRAY || s->type == SHT_PREINIT_ARRAY || !strncmp(s->name, ".ctors", 6) ||
           !strncmp(s->name, ".init_array", 11);
}

/* Per symbol index of obj: the index among its functions (fs, n of them)
 * of the one that symbol names, or n. */
static size_t *functions_by_symbol(const struct object *obj, const struct func *fs, size_t n)
{
    size_t *at = xcalloc(obj->nsyms + 1, sizeof *at);
    for (size_t i = 0; i <= obj->nsyms; i++)
        at[i] = n;
    for (size_t k = 0; k < n; k++)
        if (fs[k].symbol < obj->nsyms)
            at[fs[k].symbol] = k;
    return at;
}

/* The functions of obj that f calls without a relocation: the assembler
 * resolves a call within its section (gcc -O0's constructor calls
 * __static_initialization_and_destruction_0 so), marked in `called`. */
static void mark_direct_calls(struct object *obj, const struct func *f, const size_t *function_at, bool *called)
{
    for (size_t at = 0; f->bytes && at < f->size;) {
        int n = x86_insn_length(f->bytes + at, f->size - at);
        if (n <= 0)
            return;
        int32_t rel;
        if (n == 5 && f->bytes[at] == 0xe8 && (memcpy(&rel, f->bytes + at + 1, 4), rel)) {
            uint64_t target = f->offset + at + 5 + (int64_t)rel;
            called[function_at[object_symbol_holding(obj, f->sec->index, target)]] = true;
        }
        at += (size_t)n;
    }
}

/* Which of obj's functions are constructors: those the lists name, and
 * those they call, one call deep (gcc -O0's
 * __static_initialization_and_destruction_0, clang's
 * __cxx_global_var_init.N). Per function of object_functions, which are
 * given in *functions, n of them. */
static bool *constructors(struct object *obj, const struct func **functions, size_t *n)
{
    const struct func *fs = *functions = object_functions(obj, n);
    struct object_view v = object_view_of(obj);
    size_t *function_at = functions_by_symbol(obj, fs, *n);
    bool *ctor = xcalloc(*n + 1, sizeof *ctor);
    for (size_t i = 1; i < obj->nsecs; i++)
        for (size_t k = 0; is_constructor_list(&obj->secs[i]) && k < obj->secs[i].nrelas; k++)
            ctor[function_at[reloc_symbol_reached(&v, &obj->secs[i].relas[k])]] = true;
    bool *called = xcalloc(*n + 1, sizeof *called);
    for (size_t f = 0; f < *n; f++) {
        for (size_t k = 0; ctor[f] && k < fs[f].nrelas; k++)
            called[function_at[reloc_symbol_reached(&v, fs[f].relas[k])]] = true;
        if (ctor[f])
            mark_direct_calls(obj, &fs[f], function_at, called);
    }
    for (size_t f = 0; f < *n; f++)
        ctor[f] |= called[f];
    ctor[*n] = false; /* what named no function */
    xfree(called);
    xfree(function_at);
    return ctor;
}

/* The variables f's relocations reach, but for those it only reads (a
 * PC-relative load, compare or operand: a constructor that reads a
 * setting does not set it), marked in `set`. Instructions and
 * relocations are walked together, both in offset order; past an
 * instruction that cannot be decoded, every one counts as set. */
static void mark_set_variables(const struct object_view *v, const struct func *f, bool *set)
{
    size_t at = 0;
    for (size_t k = 0; k < f->nrelas;) {
        const Elf64_Rela *r = f->relas[k];
        uint64_t off = r->r_offset - f->offset;
        int n = f->bytes && at < f->size ? x86_insn_length(f->bytes + at, f->size - at) : -1;
        if (n > 0 && off >= at + (size_t)n) {
            at += (size_t)n;
            continue;
        }
        bool reads = n > 0 && off >= at && ELF64_R_TYPE(r->r_info) == R_X86_64_PC32 &&
                     x86_insn_only_reads(f->bytes + at, n);
        size_t i = reloc_symbol_reached(v, r);
        if (i && GELF_ST_TYPE(v->syms[i].st_info) != STT_FUNC && !reads)
            set[i] = true;
        k++;
    }
}

bool *constructor_variables(struct object *obj)
{
    const struct func *fs;
    size_t n;
    bool *ctor = constructors(obj, &fs, &n);
    struct object_view v = object_view_of(obj);
    bool *set = xcalloc(obj->nsyms + 1, sizeof *set);
    for (size_t f = 0; f < n; f++)
        if (ctor[f])
            mark_set_variables(&v, &fs[f], set);
    xfree(ctor);
    return set;
}

bool same_constructors(struct object *old, struct object *new)
{
    const struct func *fo, *fn;
    size_t nold, nnew;
    bool *old_ctor = constructors(old, &fo, &nold), *new_ctor = constructors(new, &fn, &nnew);
    size_t count_old = 0, count_new = 0;
    bool same = true;
    for (size_t f = 0; f < nold; f++)
        count_old += old_ctor[f];
    for (size_t f = 0; f < nnew && same; f++) {
        if (!new_ctor[f])
            continue;
        count_new++;
        const struct func *o = object_function_like(old, &fn[f]);
        same = o && old_ctor[o - fo] && same_function(o, &fn[f]);
    }
    xfree(old_ctor);
    xfree(new_ctor);
    return same && count_old == count_new;
}
