/* C types from DWARF type DIEs, read on demand and cached by DIE offset.
 * A struct is cached before its members are read, so that a struct that
 * points to itself ends at the pointer. */
#include "ctypes.h"

#include <stdlib.h>
#include <string.h>

#include "die.h"
#include "strbuf.h"
#include "util.h"

#define MAX_DEPTH 48

struct ctypes {
    Dwarf_Debug dbg;
    struct ctype **all;         /* every type read, owned */
    size_t n, cap;
    struct ctype void_type, unknown_type;
};

struct ctypes *ctypes_new(Dwarf_Debug dbg)
{
    struct ctypes *t = xcalloc(1, sizeof *t);
    t->dbg = dbg;
    t->void_type = (struct ctype){.kind = CT_VOID, .name = "void"};
    t->unknown_type = (struct ctype){.kind = CT_UNKNOWN, .name = "<unknown type>"};
    return t;
}

void ctypes_free(struct ctypes *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        struct ctype *c = t->all[i];
        xfree(c->name);
        xfree(c->members);
        xfree(c->enumerators);
        xfree(c->params);
        xfree(c);
    }
    xfree(t->all);
    xfree(t);
}

static struct ctype *cached(const struct ctypes *t, uint64_t die)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->all[i]->die == die)
            return t->all[i];
    return NULL;
}

/* A type is cached before the types it refers to are read, so a cycle
 * (a struct's pointer to its own kind, through a typedef or not) meets it
 * unfinished. Until named, it is spelled PENDING_NAME: a name built from
 * it then is odd, but every name is a string. */
#define PENDING_NAME "<unknown type>"

static struct ctype *add(struct ctypes *t, uint64_t die, enum ctype_kind kind, char *name)
{
    struct ctype *c = xcalloc(1, sizeof *c);
    c->die = die;
    c->kind = kind;
    c->name = name ? name : xstrdup(PENDING_NAME);
    ARRAY_PUSH(t->all, t->n, t->cap, c);
    return c;
}

static void set_name(struct ctype *c, char *name)
{
    xfree(c->name);
    c->name = name;
}

static const struct ctype *read_type(struct ctypes *t, uint64_t off, int depth);

static const struct ctype *referenced(struct ctypes *t, Dwarf_Die d, int depth)
{
    Dwarf_Off inner;
    return die_ref(t->dbg, d, DW_AT_type, &inner) ? read_type(t, inner, depth + 1) : &t->void_type;
}

static const struct ctype *base_type(struct ctypes *t, Dwarf_Die d, uint64_t off)
{
    Dwarf_Unsigned enc = 0, size = 0;
    die_udata(d, DW_AT_encoding, &enc);
    die_udata(d, DW_AT_byte_size, &size);
    enum ctype_kind kind = enc == DW_ATE_boolean ? CT_BOOL
                         : enc == DW_ATE_float ? CT_FLOAT
                         : enc == DW_ATE_signed || enc == DW_ATE_signed_char ? CT_SIGNED
                         : enc == DW_ATE_unsigned || enc == DW_ATE_unsigned_char || enc == DW_ATE_UTF ? CT_UNSIGNED
                         : CT_UNKNOWN;
    if (kind == CT_UNKNOWN || size == 0 || size > 16)
        kind = CT_UNKNOWN;
    struct ctype *c = add(t, off, kind, xstrdup(*die_name(d) ? die_name(d) : "?"));
    c->size = size;
    c->is_char = enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char;
    return c;
}

/* "int (*)(int, char *)": the spelling of a pointer to a function. */
static char *pointer_name(const struct ctype *target)
{
    struct strbuf sb = {0};
    if (target->kind != CT_FUNCTION) {
        size_t n = strlen(target->name);
        sb_printf(&sb, "%s%s*", target->name, n && target->name[n - 1] == '*' ? "" : " ");
        return sb.s;
    }
    sb_printf(&sb, "%s (*)(", target->target->name);
    for (size_t i = 0; i < target->nparams; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", target->params[i]->name);
    sb_printf(&sb, "%s)", target->variadic ? (target->nparams ? ", ..." : "...") : "");
    return sb.s;
}

static const struct ctype *pointer_type(struct ctypes *t, Dwarf_Die d, uint64_t off, int depth)
{
    /* Cached first: a struct's pointer to its own kind meets itself. */
    struct ctype *c = add(t, off, CT_POINTER, NULL);
    c->size = 8;
    c->target = referenced(t, d, depth);
    Dwarf_Half tag = die_tag(d);
    if (tag == DW_TAG_pointer_type) {
        set_name(c, pointer_name(c->target));
        return c;
    }
    c->kind = CT_UNKNOWN; /* a C++ reference: no C value syntax */
    set_name(c, xasprintf("%s %s", c->target->name, tag == DW_TAG_reference_type ? "&" : "&&"));
    return c;
}

static void read_members(struct ctypes *t, struct ctype *c, Dwarf_Die d, int depth)
{
    struct die_member *m;
    size_t n = die_members(t->dbg, d, &m);
    c->members = xcalloc(n ? n : 1, sizeof *c->members);
    for (size_t i = 0; i < n; i++) {
        struct ctype_member *cm = &c->members[c->nmembers++];
        cm->name = m[i].name;
        cm->type = read_type(t, m[i].type, depth + 1);
        cm->offset = m[i].offset;
        if (m[i].bitfield) {
            cm->bit_pos = m[i].bit_pos;
            cm->bit_size = m[i].bit_size;
        }
    }
    xfree(m);
}

static const struct ctype *aggregate_type(struct ctypes *t, Dwarf_Die d, uint64_t off, int depth)
{
    Dwarf_Half tag = die_tag(d);
    const char *word = tag == DW_TAG_union_type ? "union" : tag == DW_TAG_class_type ? "class" : "struct";
    struct ctype *c = add(t, off, tag == DW_TAG_union_type ? CT_UNION : CT_STRUCT,
                          xasprintf("%s %s", word, *die_name(d) ? die_name(d) : "<anonymous>"));
    Dwarf_Unsigned size = 0;
    die_udata(d, DW_AT_byte_size, &size);
    c->size = size;
    if (die_flag(d, DW_AT_declaration))
        c->kind = CT_UNKNOWN; /* incomplete: declared only here */
    else
        read_members(t, c, d, depth);
    return c;
}

static const struct ctype *enum_type(struct ctypes *t, Dwarf_Die d, uint64_t off, int depth)
{
    struct ctype *c = add(t, off, CT_ENUM, xasprintf("enum %s", *die_name(d) ? die_name(d) : "<anonymous>"));
    Dwarf_Unsigned size = 4;
    die_udata(d, DW_AT_byte_size, &size);
    c->size = size;
    c->target = referenced(t, d, depth); /* the underlying integer, if said */
    size_t cap = 0;
    for (Dwarf_Die e = die_first_child(d); e; e = die_next(t->dbg, e)) {
        Dwarf_Unsigned v = 0;
        if (die_tag(e) == DW_TAG_enumerator && die_udata(e, DW_AT_const_value, &v))
            ARRAY_PUSH(c->enumerators, c->nenumerators, cap,
                       ((struct ctype_enumerator){die_name(e), (int64_t)v}));
    }
    return c;
}

static uint64_t subrange_count(Dwarf_Die s)
{
    Dwarf_Unsigned count = 0, upper;
    if (die_udata(s, DW_AT_count, &count))
        return count;
    return die_udata(s, DW_AT_upper_bound, &upper) && upper < UINT64_MAX ? upper + 1 : 0;
}

/* An array of `counts` dimensions, the innermost last: an array of the
 * element type, or of the array of the remaining dimensions. */
static const struct ctype *array_of(struct ctypes *t, const struct ctype *elem, const uint64_t *counts,
                                    size_t n, uint64_t off)
{
    const struct ctype *inner = n > 1 ? array_of(t, elem, counts + 1, n - 1, 0) : elem;
    struct ctype *c = add(t, n > 1 ? 0 : off, CT_ARRAY, NULL);
    c->target = inner;
    c->count = counts[0];
    c->size = counts[0] * inner->size;
    /* "int [3][4]": the dimensions follow the element's name */
    const char *dims = strchr(inner->name, '[');
    set_name(c, dims ? xasprintf("%.*s[%lu]%s", (int)(dims - inner->name), inner->name, (unsigned long)c->count, dims)
                   : xasprintf("%s [%lu]", inner->name, (unsigned long)c->count));
    return c;
}

static const struct ctype *array_type(struct ctypes *t, Dwarf_Die d, uint64_t off, int depth)
{
    const struct ctype *elem = referenced(t, d, depth);
    uint64_t counts[16];
    size_t n = 0;
    for (Dwarf_Die s = die_first_child(d); s; s = die_next(t->dbg, s))
        if (die_tag(s) == DW_TAG_subrange_type && n < ARRAY_SIZE(counts))
            counts[n++] = subrange_count(s);
    if (n == 0)
        counts[n++] = 0;
    /* the last dimension is cached under the DIE: mark the outer one */
    const struct ctype *c = array_of(t, elem, counts, n, off);
    ((struct ctype *)c)->die = off;
    return c;
}

/* A parameter's or a function's DIE may only point to its abstract
 * origin or declaration, which has the type. */
static bool origin_type(Dwarf_Debug dbg, Dwarf_Die d, Dwarf_Off *type)
{
    Dwarf_Off origin;
    if (die_ref(dbg, d, DW_AT_type, type))
        return true;
    if (!die_ref(dbg, d, DW_AT_abstract_origin, &origin) && !die_ref(dbg, d, DW_AT_specification, &origin))
        return false;
    Dwarf_Die o = die_at(dbg, origin);
    bool ok = o && origin_type(dbg, o, type);
    if (o)
        dwarf_dealloc_die(o);
    return ok;
}

static void read_params(struct ctypes *t, struct ctype *c, Dwarf_Die d, int depth)
{
    size_t cap = 0;
    for (Dwarf_Die p = die_first_child(d); p; p = die_next(t->dbg, p)) {
        Dwarf_Off type;
        if (die_tag(p) == DW_TAG_unspecified_parameters)
            c->variadic = true;
        else if (die_tag(p) == DW_TAG_formal_parameter)
            ARRAY_PUSH(c->params, c->nparams, cap,
                       origin_type(t->dbg, p, &type) ? read_type(t, type, depth + 1) : &t->unknown_type);
    }
}

static struct ctype *function_type(struct ctypes *t, Dwarf_Die d, uint64_t off, int depth)
{
    struct ctype *c = add(t, off, CT_FUNCTION, NULL);
    Dwarf_Off ret;
    c->target = origin_type(t->dbg, d, &ret) ? read_type(t, ret, depth + 1) : &t->void_type;
    read_params(t, c, d, depth);
    struct strbuf sb = {0};
    sb_printf(&sb, "%s (", c->target->name);
    for (size_t i = 0; i < c->nparams; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", c->params[i]->name);
    sb_printf(&sb, "%s)", c->variadic ? (c->nparams ? ", ..." : "...") : c->nparams ? "" : "void");
    set_name(c, sb.s);
    return c;
}

/* A typedef is its type. An anonymous struct, union or enum is known by
 * the typedef's name instead ("vec2", not "struct <anonymous>"). */
static const struct ctype *typedef_type(struct ctypes *t, Dwarf_Die d, int depth)
{
    const struct ctype *inner = referenced(t, d, depth);
    if (strstr(inner->name, "<anonymous>") && *die_name(d) &&
        (inner->kind == CT_STRUCT || inner->kind == CT_UNION || inner->kind == CT_ENUM)) {
        struct ctype *named = (struct ctype *)inner; /* one of ours, not const */
        set_name(named, xstrdup(die_name(d)));
    }
    return inner;
}

static const struct ctype *read_die(struct ctypes *t, Dwarf_Die d, uint64_t off, int depth)
{
    switch (die_tag(d)) {
    case DW_TAG_base_type: return base_type(t, d, off);
    case DW_TAG_pointer_type:
    case DW_TAG_reference_type:
    case DW_TAG_rvalue_reference_type: return pointer_type(t, d, off, depth);
    case DW_TAG_structure_type:
    case DW_TAG_class_type:
    case DW_TAG_union_type: return aggregate_type(t, d, off, depth);
    case DW_TAG_enumeration_type: return enum_type(t, d, off, depth);
    case DW_TAG_array_type: return array_type(t, d, off, depth);
    case DW_TAG_subroutine_type: return function_type(t, d, off, depth);
    case DW_TAG_typedef: return typedef_type(t, d, depth);
    case DW_TAG_const_type:
    case DW_TAG_volatile_type:
    case DW_TAG_restrict_type:
    case DW_TAG_atomic_type:
    case DW_TAG_immutable_type: /* D's immutable and shared */
    case DW_TAG_shared_type: return referenced(t, d, depth);
    case DW_TAG_unspecified_type: return &t->void_type; /* decltype(nullptr)'s kin */
    default: return &t->unknown_type;
    }
}

static const struct ctype *read_type(struct ctypes *t, uint64_t off, int depth)
{
    const struct ctype *c = cached(t, off);
    if (c)
        return c;
    Dwarf_Die d = depth < MAX_DEPTH ? die_at(t->dbg, off) : NULL;
    if (!d)
        return &t->unknown_type;
    c = read_die(t, d, off, depth);
    dwarf_dealloc_die(d);
    return c;
}

const struct ctype *ctype_at(struct ctypes *t, uint64_t die)
{
    return die ? read_type(t, die, 0) : &t->void_type;
}

const struct ctype *ctype_function(struct ctypes *t, uint64_t subprogram)
{
    const struct ctype *c = cached(t, subprogram);
    if (c)
        return c;
    Dwarf_Die d = die_at(t->dbg, subprogram);
    if (!d)
        return &t->unknown_type;
    c = function_type(t, d, subprogram, 0);
    dwarf_dealloc_die(d);
    return c;
}

bool ctype_enumerator(const struct ctype *e, const char *name, int64_t *value)
{
    for (size_t i = 0; e->kind == CT_ENUM && i < e->nenumerators; i++)
        if (!strcmp(e->enumerators[i].name, name)) {
            *value = e->enumerators[i].value;
            return true;
        }
    return false;
}
