/* Whether two versions of a function do the same: what a reload reports
 * as changed. */
#include <string.h>

#include "samefunc.h"

/* The object of one version of a function, with its symbol table at hand. */
struct func_view {
    const struct object *obj;
    const Elf64_Sym *syms;
    size_t nsyms;
};

static struct func_view view_of(const struct func *f)
{
    struct func_view v = {f->sec->obj, NULL, 0};
    v.syms = object_raw_symbols(v.obj, &v.nsyms);
    return v;
}

/* The constant relocation r reaches in read-only data: a merged constant
 * (up to 8 bytes), or a string up to its NUL (at most 64 bytes: in plain
 * .rodata nothing says where an item ends). NULL if it is not read-only
 * data. A PC-relative addend is taken as 4 short of its target: exact
 * unless an immediate follows the displacement, which constant loads do
 * not have. (Decoding, as databind does, walks the function for each
 * relocation: a reload of Lua's lvm.o took 4.9 ms instead of 1.6 ms in
 * bench/reload.sh.) */
static const uint8_t *constant_at(const struct section *t, const Elf64_Sym *s, const Elf64_Rela *r,
                                  size_t *len)
{
    uint32_t type = ELF64_R_TYPE(r->r_info);
    uint64_t at = s->st_value + r->r_addend + (type == R_X86_64_PC32 || type == R_X86_64_PLT32 ? 4 : 0);
    if (!t->data || at >= t->size || !(t->flags & SHF_ALLOC) || (t->flags & (SHF_WRITE | SHF_EXECINSTR)))
        return NULL;
    const uint8_t *p = t->data + at;
    size_t room = t->size - at;
    if ((t->flags & SHF_MERGE) && !(t->flags & SHF_STRINGS)) {
        *len = room < 8 ? room : 8;
    } else {
        size_t max = t->flags & SHF_STRINGS ? room : (room < 64 ? room : 64);
        *len = strnlen((const char *)p, max);
        *len += *len < max; /* the NUL */
    }
    return p;
}

static const struct section *section_of(const struct object *obj, const Elf64_Sym *s)
{
    return s->st_shndx > 0 && s->st_shndx < obj->nsecs ? &obj->secs[s->st_shndx] : NULL;
}

/* A symbol's name, or NULL for a section symbol or an assembler label
 * (.LC0, .L.str.1), which only stand for a place. */
static const char *named_target(const struct object *obj, size_t i, const Elf64_Sym *s)
{
    const char *name = obj->syms[i] ? obj->syms[i]->name : "";
    return GELF_ST_TYPE(s->st_info) == STT_SECTION || !strncmp(name, ".L", 2) ? NULL : name;
}

/* Whether two relocations reach the same thing: a symbol of the same name,
 * or a place (a label renumbered by an added string is the same place)
 * in a section of the same name; and in read-only data, a constant with
 * the same bytes. */
static bool same_target(const struct func_view *a, const Elf64_Rela *ra, const struct func_view *b,
                        const Elf64_Rela *rb)
{
    size_t ia = ELF64_R_SYM(ra->r_info), ib = ELF64_R_SYM(rb->r_info);
    if (ELF64_R_TYPE(ra->r_info) != ELF64_R_TYPE(rb->r_info) || ra->r_addend != rb->r_addend ||
        ia >= a->nsyms || ib >= b->nsyms || ia >= a->obj->nsyms || ib >= b->obj->nsyms)
        return false;
    const Elf64_Sym *sa = &a->syms[ia], *sb = &b->syms[ib];
    const struct section *ta = section_of(a->obj, sa), *tb = section_of(b->obj, sb);
    size_t la = 0, lb = 0;
    const uint8_t *pa = ta ? constant_at(ta, sa, ra, &la) : NULL;
    const uint8_t *pb = tb ? constant_at(tb, sb, rb, &lb) : NULL;
    const char *name_a = named_target(a->obj, ia, sa), *name_b = named_target(b->obj, ib, sb);
    if ((name_a || name_b) && (!name_a || !name_b || strcmp(name_a, name_b)))
        return false;
    if (pa && pb)
        return !strcmp(ta->name, tb->name) && la == lb && !memcmp(pa, pb, la);
    return name_a || (ta && tb && !strcmp(ta->name, tb->name));
}

/* Whether two versions of a function do the same: the same bytes, and
 * relocations that reach the same things. An edited string literal or
 * constant changes what a function does without changing its bytes. */
bool same_function(const struct func *a, const struct func *b)
{
    if (a->size != b->size || !a->bytes || !b->bytes || memcmp(a->bytes, b->bytes, a->size))
        return false;
    if (a->nrelas != b->nrelas)
        return false;
    struct func_view va = view_of(a), vb = view_of(b);
    for (size_t i = 0; i < a->nrelas; i++) {
        const Elf64_Rela *ra = a->relas[i], *rb = b->relas[i];
        if (ra->r_offset - a->offset != rb->r_offset - b->offset || !same_target(&va, ra, &vb, rb))
            return false;
    }
    return true;
}
