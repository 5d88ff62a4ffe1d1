/* The functions of one version of an object, where it laid them out. They
 * are read from the object's own ELF symbol table: the live table's global
 * entries describe only the newest version. Computed when a reload first
 * needs them, since most objects are never replaced. */
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "util.h"

struct mark {
    uint32_t shndx;
    uint64_t value;
};

static int by_place(const void *a, const void *b)
{
    const struct mark *x = a, *y = b;
    if (x->shndx != y->shndx)
        return x->shndx < y->shndx ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

/* How obj itself binds symbol i (the live entry may say otherwise). */
uint8_t object_binding(const struct object *obj, size_t i)
{
    size_t n;
    const Elf64_Sym *es = object_raw_symbols(obj, &n);
    return i < n ? GELF_ST_BIND(es[i].st_info) : STB_LOCAL;
}

static bool in_loaded_section(const struct object *obj, const Elf64_Sym *es)
{
    return es->st_shndx > 0 && es->st_shndx < obj->nsecs && obj->secs[es->st_shndx].out &&
           !obj->secs[es->st_shndx].discarded;
}

/* Bytes from value to the next symbol of the section, or to the end of the
 * section and the room the layout left after it. */
static uint64_t room_at(const struct object *obj, const struct mark *marks, size_t nmarks,
                        uint32_t shndx, uint64_t value)
{
    struct mark key = {shndx, value + 1};
    size_t lo = 0, hi = nmarks; /* first mark after (shndx, value) */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (by_place(&marks[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const struct section *sec = &obj->secs[shndx];
    uint64_t end = sec->size + padding_after(sec);
    if (lo < nmarks && marks[lo].shndx == shndx && marks[lo].value < end)
        end = marks[lo].value;
    return end - value;
}

/* "helper" for the first function of that name in the object, "helper/1"
 * for the next (an ld -r object holds each file's static helper, in
 * link order). Not the file's name: a source renamed or generated
 * elsewhere keeps its functions. */
static char *function_id(struct strmap *seen, const char *name)
{
    struct strmap_slot *s = strmap_slot(seen, name);
    uintptr_t twin = (uintptr_t)s->value;
    s->value = (void *)(twin + 1);
    return twin ? xasprintf("%s/%u", name, (unsigned)twin) : xstrdup(name);
}

/* f's relocations: what comparing it with its next version walks
 * (reload/samefunc.c), found once per version. */
static void find_relas(struct func *f, struct rela_order *order)
{
    const Elf64_Rela *const *within = relas_within(order, f->sec, f->offset, f->offset + f->size, &f->nrelas);
    f->relas = xcalloc(f->nrelas + 1, sizeof *f->relas);
    memcpy(f->relas, within, f->nrelas * sizeof *f->relas);
}

static void compute(struct object *obj)
{
    size_t n, nmarks = 0, cap = 0;
    const Elf64_Sym *es = object_raw_symbols(obj, &n);
    struct mark *marks = xcalloc(n + 1, sizeof *marks);
    for (size_t i = 1; i < n; i++)
        if (in_loaded_section(obj, &es[i]) && GELF_ST_TYPE(es[i].st_info) != STT_SECTION)
            marks[nmarks++] = (struct mark){es[i].st_shndx, es[i].st_value};
    qsort(marks, nmarks, sizeof *marks, by_place);
    struct rela_order order = {0};
    struct strmap seen = {0}; /* how many functions of each name came before */
    for (size_t i = 1; i < n; i++) {
        const struct section *sec = &obj->secs[es[i].st_shndx];
        if (GELF_ST_TYPE(es[i].st_info) != STT_FUNC || !in_loaded_section(obj, &es[i]) ||
            es[i].st_value > sec->size)
            continue;
        const char *name = obj->syms[i]->name;
        struct func f = {.name = name, .id = function_id(&seen, name), .body = sec->addr + es[i].st_value,
                         .size = es[i].st_size,
                         .room = room_at(obj, marks, nmarks, es[i].st_shndx, es[i].st_value),
                         .sec = sec, .offset = es[i].st_value, .symbol = (uint32_t)i};
        if (sec->data && es[i].st_size <= sec->size - es[i].st_value)
            f.bytes = sec->data + es[i].st_value;
        else
            f.size = 0; /* no bytes to compare */
        find_relas(&f, &order);
        ARRAY_PUSH(obj->funcs, obj->nfuncs, cap, f);
    }
    rela_order_free(&order);
    xfree(marks);
    strmap_free(&seen);
    obj->funcs_known = true;
}

typedef const char *func_key(const struct func *f);

static const char *name_of(const struct func *f)
{
    return f->name;
}

static const char *id_of(const struct func *f)
{
    return f->id;
}

struct key_order {
    const struct func *funcs;
    func_key *key;
};

/* By key, and among equal keys in the functions' order: a search finds
 * the first, as a walk through them would. */
static int by_key(const void *a, const void *b, void *ctx)
{
    const struct key_order *o = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int c = strcmp(o->key(&o->funcs[x]), o->key(&o->funcs[y]));
    return c ? c : (x > y) - (x < y);
}

/* The first of obj's functions whose key is `want`. Every changed
 * object's functions are looked up in its other version: walking them
 * made a reload of a 2,000-function object spend 12 million strcmps. */
static const struct func *find_by(struct object *obj, uint32_t **index, func_key *key, const char *want)
{
    size_t n;
    const struct func *fs = object_functions(obj, &n);
    if (!*index) {
        *index = xcalloc(n + 1, sizeof **index);
        for (size_t i = 0; i < n; i++)
            (*index)[i] = (uint32_t)i;
        qsort_r(*index, n, sizeof **index, by_key, &(struct key_order){fs, key});
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(key(&fs[(*index)[mid]]), want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !strcmp(key(&fs[(*index)[lo]]), want) ? &fs[(*index)[lo]] : NULL;
}

const struct func *object_function(struct object *obj, const char *name)
{
    return find_by(obj, &obj->funcs_by_name, name_of, name);
}

const struct func *object_function_like(struct object *obj, const struct func *f)
{
    return find_by(obj, &obj->funcs_by_id, id_of, f->id);
}

void object_functions_free(struct object *obj)
{
    for (size_t i = 0; i < obj->nfuncs; i++) {
        xfree(obj->funcs[i].id);
        xfree(obj->funcs[i].relas);
    }
    xfree(obj->funcs);
    xfree(obj->funcs_by_name);
    xfree(obj->funcs_by_id);
    obj->funcs = NULL;
    obj->funcs_by_name = obj->funcs_by_id = NULL;
    obj->nfuncs = 0;
}

const struct func *object_functions(struct object *obj, size_t *n)
{
    if (!obj->funcs_known)
        compute(obj);
    *n = obj->nfuncs;
    return obj->funcs;
}
