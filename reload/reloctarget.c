/* Whether two relocations, of two versions of an object, reach the same
 * thing. */
#include <string.h>

#include "constants.h"
#include "reloctarget.h"

struct object_view object_view_of(struct object *obj)
{
    struct object_view v = {obj, NULL, 0};
    v.syms = object_raw_symbols(obj, &v.nsyms);
    return v;
}

/* What a relocation reaches: a symbol by name with an offset from it, or
 * a place in a section; in read-only data, the constant there. */
struct reach {
    const char *name;           /* NULL: a place in sec (same_place) */
    const struct section *sec;
    int64_t offset;             /* from the named symbol */
    const uint8_t *constant;
    size_t len;
};

/* The constant at `at` in read-only data t: a merged constant (up to 8
 * bytes), or a string up to its NUL (at most 64 bytes: in plain .rodata
 * nothing says where an item ends). NULL if t is not read-only data. */
static const uint8_t *constant_at(const struct section *t, uint64_t at, size_t *len)
{
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

/* Where r's place falls: its symbol's value, the addend, and for a
 * PC-relative one the 4 bytes it is taken as short of its target: exact
 * unless an immediate follows the displacement, which constant loads do
 * not have. (Decoding, as databind does, walks the function for each
 * relocation: a reload of Lua's lvm.o took 4.9 ms instead of 1.6 ms in
 * bench/reload.sh.) */
static uint64_t place_of(const Elf64_Sym *s, const Elf64_Rela *r)
{
    uint32_t type = ELF64_R_TYPE(r->r_info);
    return s->st_value + r->r_addend + (type == R_X86_64_PC32 || type == R_X86_64_PLT32 ? 4 : 0);
}

static struct reach reach_of(const struct object_view *v, const Elf64_Rela *r)
{
    size_t i = ELF64_R_SYM(r->r_info);
    const Elf64_Sym *s = &v->syms[i];
    struct reach to = {named_target(v->obj, i, s), section_of(v->obj, s), r->r_addend, NULL, 0};
    if (to.sec)
        to.constant = constant_at(to.sec, place_of(s, r), &to.len);
    return to;
}

size_t reloc_symbol_reached(const struct object_view *v, const Elf64_Rela *r)
{
    size_t i = ELF64_R_SYM(r->r_info);
    if (i >= v->nsyms || i >= v->obj->nsyms)
        return 0;
    const Elf64_Sym *s = &v->syms[i];
    if (GELF_ST_TYPE(s->st_info) != STT_SECTION && named_target(v->obj, i, s))
        return i;
    return object_symbol_holding(v->obj, s->st_shndx, place_of(s, r));
}

/* Two places in sections of the same name: the same if they fall at the
 * same offset in variables or functions of the same name, or, where none
 * holds them, at the same offset in their sections. */
static bool same_place(const struct object_view *a, const Elf64_Rela *ra, const struct object_view *b,
                       const Elf64_Rela *rb)
{
    uint64_t at_a = place_of(&a->syms[ELF64_R_SYM(ra->r_info)], ra);
    uint64_t at_b = place_of(&b->syms[ELF64_R_SYM(rb->r_info)], rb);
    size_t ha = reloc_symbol_reached(a, ra), hb = reloc_symbol_reached(b, rb);
    if (!ha || !hb)
        return !ha && !hb && at_a == at_b;
    return !strcmp(a->obj->syms[ha]->name, b->obj->syms[hb]->name) &&
           at_a - a->syms[ha].st_value == at_b - b->syms[hb].st_value;
}

bool same_reloc_target(const struct object_view *a, const Elf64_Rela *ra, const struct object_view *b,
                       const Elf64_Rela *rb)
{
    size_t ia = ELF64_R_SYM(ra->r_info), ib = ELF64_R_SYM(rb->r_info);
    if (ELF64_R_TYPE(ra->r_info) != ELF64_R_TYPE(rb->r_info) || ia >= a->nsyms || ib >= b->nsyms ||
        ia >= a->obj->nsyms || ib >= b->obj->nsyms)
        return false;
    struct reach x = reach_of(a, ra), y = reach_of(b, rb);
    if ((x.name || y.name) && (!x.name || !y.name || strcmp(x.name, y.name) || x.offset != y.offset))
        return false;
    if (x.constant && y.constant)
        return !strcmp(x.sec->name, y.sec->name) && x.len == y.len && !memcmp(x.constant, y.constant, x.len);
    if (x.name)
        return true;
    if (!x.sec || !y.sec || strcmp(x.sec->name, y.sec->name))
        return false;
    return same_place(a, ra, b, rb);
}

bool same_constant_reached(const struct object_view *a, const Elf64_Rela *ra, const struct object_view *b,
                           const Elf64_Rela *rb)
{
    size_t ha = reloc_symbol_reached(a, ra), hb = reloc_symbol_reached(b, rb);
    if (!ha || !hb || ELF64_R_TYPE(ra->r_info) != ELF64_R_TYPE(rb->r_info))
        return false;
    uint64_t at_a = place_of(&a->syms[ELF64_R_SYM(ra->r_info)], ra) - a->syms[ha].st_value;
    uint64_t at_b = place_of(&b->syms[ELF64_R_SYM(rb->r_info)], rb) - b->syms[hb].st_value;
    return at_a == at_b && constant_follows(a->obj, a->obj->syms[ha], b->obj, b->obj->syms[hb], at_a);
}
