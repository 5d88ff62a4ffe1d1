/* Structural comparison of a variable's old and new DWARF type.
 *
 * Typedefs and cv-qualifiers are looked through. Base types compare by
 * encoding and size; pointers by being pointers (the value is an address
 * either way); enums by their enumerators; arrays by dimensions and
 * element type; structs by member name, with offsets, so that fields may
 * be added, removed or reordered. The verdict:
 *   identical     the new code can use the old storage as it is;
 *   migratable    a copy plan moves every old value that has a place in
 *                 the new type: fields by name, arrays element by element
 *                 (a grown array's tail keeps its new initializers),
 *                 integers widened or narrowed, float to double. What
 *                 has no place (removed fields, a shrunk array's tail) is
 *                 listed, so that type_plan_loss can tell, from the
 *                 actual values, whether anything would be lost;
 *   incompatible  with the reason: a changed kind of type, a changed
 *                 union, a bit-field that is not an integer.
 * Bit-fields are copied bit by bit, by name, wherever they moved.
 * Pointers are not followed, so recursive types end there. */
#include "typeinfo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "die.h"
#include "strbuf.h"
#include "util.h"

#define MAX_DEPTH 32

struct side {
    Dwarf_Debug dbg;
    Dwarf_Off type;
    uint64_t base;              /* offset of this value in the variable */
};

/* The most copies and anchors an array's elements but the first add to a
 * plan: 32 Mi entries of 40 bytes (an array of 8 million structs whose two
 * fields move; 3 million of them migrate in about 2 s). */
#define MAX_ELEMENT_COPIES (1u << 25)

struct match {
    struct type_plan *plan;
    struct strbuf changes;
};

/* Add a copy (or extend the last one); returns it. */
static struct copy_op *add_op(struct match *m, uint64_t from, uint64_t to, uint32_t from_size,
                              uint32_t to_size, enum copy_kind kind)
{
    struct type_plan *p = m->plan;
    struct copy_op *last = p->nops ? &p->ops[p->nops - 1] : NULL;
    if (kind == COPY_BYTES && last && last->kind == COPY_BYTES && last->from + last->from_size == from &&
        last->to + last->to_size == to && (uint64_t)last->from_size + from_size <= UINT32_MAX &&
        (uint64_t)last->to_size + to_size <= UINT32_MAX) {
        last->from_size += from_size;
        last->to_size += to_size;
        return last;
    }
    ARRAY_PUSH(p->ops, p->nops, p->capops, ((struct copy_op){from, to, from_size, to_size, kind, 0, 0, 0}));
    return &p->ops[p->nops - 1];
}

static void add_anchor(struct match *m, uint64_t from, uint64_t to)
{
    struct type_plan *p = m->plan;
    ARRAY_PUSH(p->anchors, p->nanchors, p->capanchors, ((struct copy_op){from, to, 0, 0, COPY_BYTES, 0, 0, 0}));
}

static void add_dropped(struct match *m, uint64_t from, uint64_t size)
{
    struct type_plan *p = m->plan;
    p->may_lose = true;
    ARRAY_PUSH(p->dropped, p->ndropped, p->capdropped, ((struct copy_op){from, 0, (uint32_t)size, 0, COPY_BYTES, 0, 0, 0}));
}

static enum type_verdict incompatible(struct match *m, const char *fmt, ...)
{
    if (!m->plan->why) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&m->plan->why, fmt, ap) < 0)
            m->plan->why = NULL;
        va_end(ap);
    }
    return TYPES_INCOMPATIBLE;
}

static void note_change(struct match *m, const char *path, const char *what)
{
    sb_printf(&m->changes, "%s%s%s%s", m->changes.len ? ", " : "", path, *path ? " " : "", what);
}

static enum type_verdict compare(struct match *m, struct side o, struct side n, const char *path, int depth);

static bool is_integer(Dwarf_Unsigned enc)
{
    return enc == DW_ATE_signed || enc == DW_ATE_unsigned || enc == DW_ATE_signed_char ||
           enc == DW_ATE_unsigned_char || enc == DW_ATE_boolean;
}

static enum type_verdict base_types(struct match *m, Dwarf_Die od, Dwarf_Die nd, struct side o,
                                    struct side n, const char *path)
{
    Dwarf_Unsigned oenc = 0, nenc = 0, osize = 0, nsize = 0;
    die_udata(od, DW_AT_encoding, &oenc);
    die_udata(nd, DW_AT_encoding, &nenc);
    die_udata(od, DW_AT_byte_size, &osize);
    die_udata(nd, DW_AT_byte_size, &nsize);
    if (oenc == nenc && osize == nsize) {
        add_op(m, o.base, n.base, osize, nsize, COPY_BYTES);
        return TYPES_IDENTICAL;
    }
    if (is_integer(oenc) && is_integer(nenc) && osize && nsize && osize <= 8 && nsize <= 8) {
        bool is_signed = oenc == DW_ATE_signed || oenc == DW_ATE_signed_char;
        add_op(m, o.base, n.base, osize, nsize, is_signed ? COPY_SIGNED : COPY_UNSIGNED);
        m->plan->may_lose |= nsize < osize;
        note_change(m, path, nsize > osize ? "widened" : nsize < osize ? "narrowed" : "signedness changed");
        return TYPES_MIGRATABLE;
    }
    if (oenc == DW_ATE_float && nenc == DW_ATE_float && osize == 4 && nsize == 8) {
        add_op(m, o.base, n.base, 4, 8, COPY_FLOAT);
        note_change(m, path, "float to double");
        return TYPES_MIGRATABLE;
    }
    return incompatible(m, "%s changed from %s to %s", *path ? path : "value", die_name(od), die_name(nd));
}

/* An enum's enumerators, in order. */
struct enumerator {
    const char *name;
    int64_t value;
};

static size_t enumerators(Dwarf_Debug dbg, Dwarf_Die d, struct enumerator **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (Dwarf_Die c = die_first_child(d); c; c = die_next(dbg, c)) {
        Dwarf_Unsigned v = 0;
        die_udata(c, DW_AT_const_value, &v);
        ARRAY_PUSH(*out, n, cap, ((struct enumerator){die_name(c), (int64_t)v}));
    }
    return n;
}

/* An enum keeps its values when every old enumerator has its old value;
 * renumbered, the value follows the enumerator's name (COPY_ENUM, with a
 * map from each old value to its new one). */
static enum type_verdict enum_types(struct match *m, Dwarf_Die od, Dwarf_Die nd, struct side o,
                                    struct side n, const char *path)
{
    Dwarf_Unsigned osize = 0, nsize = 0;
    struct enumerator *oe, *ne;
    die_udata(od, DW_AT_byte_size, &osize);
    die_udata(nd, DW_AT_byte_size, &nsize);
    size_t no = enumerators(o.dbg, od, &oe), nn = enumerators(n.dbg, nd, &ne);
    struct enum_map map = {0};
    bool same = osize == nsize && osize <= 8 && nsize <= 8;
    for (size_t i = 0; i < no; i++)
        for (size_t j = 0; j < nn; j++)
            if (!strcmp(oe[i].name, ne[j].name)) {
                struct copy_op pair = {(uint64_t)oe[i].value, (uint64_t)ne[j].value, 0, 0, COPY_BYTES, 0, 0, 0};
                ARRAY_PUSH(map.pairs, map.n, map.cap, pair);
                same = same && oe[i].value == ne[j].value;
            }
    m->plan->may_lose |= map.n < no;
    same = same && map.n == no;
    xfree(oe);
    xfree(ne);
    if (same || osize > 8 || nsize > 8 || !osize || !nsize) {
        xfree(map.pairs);
        if (!same)
            return incompatible(m, "%s: enum %s resized", *path ? path : "value", die_name(nd));
        add_op(m, o.base, n.base, osize, nsize, COPY_BYTES);
        return TYPES_IDENTICAL;
    }
    struct type_plan *p = m->plan;
    ARRAY_PUSH(p->maps, p->nmaps, p->capmaps, map);
    add_op(m, o.base, n.base, osize, nsize, COPY_ENUM)->map = (uint32_t)(p->nmaps - 1);
    note_change(m, path, "enumerators renumbered");
    return TYPES_MIGRATABLE;
}

/* An array's dimensions (element counts), outermost first. */
static size_t dimensions(Dwarf_Debug dbg, Dwarf_Die d, uint64_t dims[8])
{
    size_t n = 0;
    for (Dwarf_Die c = die_first_child(d); c; c = die_next(dbg, c)) {
        Dwarf_Unsigned count = 0, upper;
        if (die_tag(c) == DW_TAG_subrange_type && n < 8) {
            if (!die_udata(c, DW_AT_count, &count) && die_udata(c, DW_AT_upper_bound, &upper))
                count = upper + 1;
            dims[n++] = count;
        }
    }
    return n;
}

static uint64_t type_size(Dwarf_Debug dbg, Dwarf_Off off, int depth);

static uint64_t die_size(Dwarf_Debug dbg, Dwarf_Die d, int depth)
{
    Dwarf_Unsigned size = 0;
    Dwarf_Off elem;
    if (die_udata(d, DW_AT_byte_size, &size) || die_tag(d) != DW_TAG_array_type || !die_ref(dbg, d, DW_AT_type, &elem))
        return size;
    uint64_t dims[8], count = 1;
    size_t nd = dimensions(dbg, d, dims);
    for (size_t i = 0; i < nd; i++)
        count *= dims[i];
    return count * type_size(dbg, elem, depth + 1);
}

static uint64_t type_size(Dwarf_Debug dbg, Dwarf_Off off, int depth)
{
    Dwarf_Die d = depth < MAX_DEPTH ? die_strip(dbg, off) : NULL;
    if (!d)
        return 0;
    uint64_t size = die_tag(d) == DW_TAG_pointer_type ? 8 : die_size(dbg, d, depth);
    dwarf_dealloc_die(d);
    return size;
}

/* Arrays with no element to copy (a flexible array member, or [0]): the
 * same if neither has any and their elements are of the same type (tag,
 * name and size; nothing is copied, so nothing more is compared). */
static enum type_verdict no_elements(Dwarf_Debug odbg, Dwarf_Off oe, uint64_t olen, uint64_t ostride,
                                     Dwarf_Debug ndbg, Dwarf_Off ne, uint64_t nlen, uint64_t nstride)
{
    Dwarf_Die od = die_strip(odbg, oe), nd = die_strip(ndbg, ne);
    bool same = od && nd && olen == nlen && ostride == nstride && die_tag(od) == die_tag(nd) &&
                !strcmp(die_name(od), die_name(nd));
    if (od)
        dwarf_dealloc_die(od);
    if (nd)
        dwarf_dealloc_die(nd);
    return same ? TYPES_IDENTICAL : TYPES_MIGRATABLE;
}

static enum type_verdict array_types(struct match *m, Dwarf_Die od, Dwarf_Die nd, struct side o,
                                     struct side n, const char *path, int depth)
{
    uint64_t odims[8], ndims[8];
    size_t nod = dimensions(o.dbg, od, odims), nnd = dimensions(n.dbg, nd, ndims);
    Dwarf_Off oe, ne;
    if (nod != nnd || !nod || !die_ref(o.dbg, od, DW_AT_type, &oe) || !die_ref(n.dbg, nd, DW_AT_type, &ne))
        return incompatible(m, "%s: array dimensions changed", *path ? path : "value");
    for (size_t i = 1; i < nod; i++)
        if (odims[i] != ndims[i])
            return incompatible(m, "%s: an inner array dimension changed", *path ? path : "value");
    uint64_t inner = 1;
    for (size_t i = 1; i < nod; i++)
        inner *= odims[i];
    /* The first element is compared; the others repeat its plan. */
    uint64_t ostride = type_size(o.dbg, oe, depth), nstride = type_size(n.dbg, ne, depth);
    uint64_t count = (odims[0] < ndims[0] ? odims[0] : ndims[0]) * inner;
    if (!count)
        return no_elements(o.dbg, oe, odims[0], ostride, n.dbg, ne, ndims[0], nstride);
    char sub[256];
    snprintf(sub, sizeof sub, "%s[]", path);
    size_t first = m->plan->nops, first_anchor = m->plan->nanchors;
    enum type_verdict v = compare(m, (struct side){o.dbg, oe, o.base}, (struct side){n.dbg, ne, n.base}, sub,
                                  depth + 1);
    size_t last = m->plan->nops, last_anchor = m->plan->nanchors;
    if (v == TYPES_IDENTICAL && ostride == nstride) {
        /* Elements that copy as they are: the rest of the array is one
         * copy, and an offset in it maps as in the first element, with no
         * anchor per element (a 200 MiB array has 200 million). */
        for (uint64_t at = ostride, end = count * ostride; at < end;) {
            uint64_t chunk = end - at < (1u << 30) ? end - at : 1u << 30;
            add_op(m, o.base + at, n.base + at, (uint32_t)chunk, (uint32_t)chunk, COPY_BYTES);
            at += chunk;
        }
        goto resized;
    }
    /* Each element repeats the first one's copies and anchors: past tens
     * of millions, the plan would take minutes and gigabytes (a crafted
     * DWARF array of 2^40 elements, found by fuzz_dwarf, took for ever). */
    size_t per_element = last - first + last_anchor - first_anchor;
    if (v != TYPES_INCOMPATIBLE && per_element && count - 1 > MAX_ELEMENT_COPIES / per_element)
        return incompatible(m, "%s: %lu elements whose layout changed: too many to migrate one by one (at most %u "
                               "copies)", *path ? path : "value", (unsigned long)count, MAX_ELEMENT_COPIES);
    /* The first element's copies, as they are before the others: add_op
     * extends the last copy in place when the next one continues it, so
     * the plan's own entries are no pattern to repeat. */
    struct copy_op *element = xmalloc((last - first + 1) * sizeof *element);
    if (last > first) /* ops is NULL before the first copy */
        memcpy(element, m->plan->ops + first, (last - first) * sizeof *element);
    for (uint64_t r = 1; r < count && v != TYPES_INCOMPATIBLE; r++) {
        for (size_t k = 0; k < last - first; k++) {
            const struct copy_op *op = &element[k];
            add_op(m, op->from + r * ostride, op->to + r * nstride, op->from_size, op->to_size, op->kind)->map = op->map;
        }
        for (size_t k = first_anchor; k < last_anchor; k++)
            add_anchor(m, m->plan->anchors[k].from + r * ostride, m->plan->anchors[k].to + r * nstride);
    }
    xfree(element);
resized:
    if (odims[0] > ndims[0])
        add_dropped(m, o.base + count * ostride, (odims[0] - ndims[0]) * inner * ostride);
    if (odims[0] != ndims[0] && v != TYPES_INCOMPATIBLE) {
        char what[64];
        snprintf(what, sizeof what, "%s from %lu to %lu elements", odims[0] < ndims[0] ? "grew" : "shrank",
                 (unsigned long)odims[0], (unsigned long)ndims[0]);
        note_change(m, path, what);
        v = TYPES_MIGRATABLE;
    }
    return v;
}

/* The new member matching old member i: same name, or for anonymous
 * members the one at the same rank among the anonymous. */
static const struct die_member *counterpart(const struct die_member *om, size_t i, const struct die_member *nm, size_t nn)
{
    size_t rank = 0;
    if (*om[i].name) {
        for (size_t j = 0; j < nn; j++)
            if (!strcmp(nm[j].name, om[i].name))
                return &nm[j];
        return NULL;
    }
    for (size_t j = 0; j < i; j++)
        rank += !*om[j].name;
    for (size_t j = 0; j < nn; j++)
        if (!*nm[j].name && rank-- == 0)
            return &nm[j];
    return NULL;
}

/* Whether the integer type at off is signed (enums count as signed). */
static bool is_signed_type(Dwarf_Debug dbg, Dwarf_Off off, bool *integer)
{
    Dwarf_Die d = die_strip(dbg, off);
    Dwarf_Unsigned enc = 0;
    *integer = false;
    if (!d)
        return false;
    if (die_tag(d) == DW_TAG_enumeration_type) {
        *integer = true;
        dwarf_dealloc_die(d);
        return true;
    }
    if (die_tag(d) == DW_TAG_base_type && die_udata(d, DW_AT_encoding, &enc))
        *integer = is_integer(enc);
    dwarf_dealloc_die(d);
    return enc == DW_ATE_signed || enc == DW_ATE_signed_char;
}

/* A member that is a bit-field on either side: copied bit by bit, widened
 * or narrowed as an integer (COPY_BITS: from and to are the bytes holding
 * the first bit, from_bit and to_bit the bit within them, sizes in bits). */
static enum type_verdict bitfield_member(struct match *m, struct side o, struct side n,
                                         const struct die_member *om, const struct die_member *nm, const char *path)
{
    bool oint, nint;
    bool is_signed = is_signed_type(o.dbg, om->type, &oint);
    bool new_signed = is_signed_type(n.dbg, nm->type, &nint);
    if (!oint || !nint)
        return incompatible(m, "%s: a bit-field is not an integer", path);
    uint64_t obits = om->bitfield ? om->bit_size : type_size(o.dbg, om->type, 0) * 8;
    uint64_t nbits = nm->bitfield ? nm->bit_size : type_size(n.dbg, nm->type, 0) * 8;
    uint64_t ofirst = (o.base - om->offset) * 8 + (om->bitfield ? om->bit_pos : om->offset * 8);
    uint64_t nfirst = (n.base - nm->offset) * 8 + (nm->bitfield ? nm->bit_pos : nm->offset * 8);
    if (!obits || !nbits || obits > 64 || nbits > 64)
        return incompatible(m, "%s: a bit-field of %lu bits", path, (unsigned long)(obits > 64 ? obits : nbits));
    struct copy_op *op = add_op(m, ofirst / 8, nfirst / 8, (uint32_t)obits, (uint32_t)nbits,
                                is_signed ? COPY_BITS_SIGNED : COPY_BITS_UNSIGNED);
    op->from_bit = ofirst % 8;
    op->to_bit = nfirst % 8;
    m->plan->may_lose |= nbits < obits;
    if (ofirst == nfirst && obits == nbits && is_signed == new_signed)
        return TYPES_IDENTICAL;
    note_change(m, path, obits == nbits ? "bit-field moved" : "bit-field resized");
    return TYPES_MIGRATABLE;
}

static enum type_verdict struct_types(struct match *m, Dwarf_Die od, Dwarf_Die nd, struct side o,
                                      struct side n, const char *path, int depth)
{
    struct die_member *om, *nm;
    size_t no = die_members(o.dbg, od, &om), nn = die_members(n.dbg, nd, &nm);
    enum type_verdict v = no == nn && die_size(o.dbg, od, depth) == die_size(n.dbg, nd, depth) ? TYPES_IDENTICAL
                                                                                 : TYPES_MIGRATABLE;
    size_t mark = m->plan->nops;
    for (size_t i = 0; i < no && v != TYPES_INCOMPATIBLE; i++) {
        const struct die_member *c = counterpart(om, i, nm, nn);
        char sub[256];
        snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", *om[i].name ? om[i].name : "<anonymous>");
        if (!c) {
            note_change(m, sub, "removed");
            if (!om[i].bitfield) /* a removed bit-field's bits share bytes with others */
                add_dropped(m, o.base + om[i].offset, type_size(o.dbg, om[i].type, depth + 1));
            v = TYPES_MIGRATABLE;
            continue;
        }
        if (c->offset != om[i].offset || (c - nm) != (ptrdiff_t)i)
            v = v == TYPES_IDENTICAL ? TYPES_MIGRATABLE : v;
        struct side os = {o.dbg, om[i].type, o.base + om[i].offset}, ns = {n.dbg, c->type, n.base + c->offset};
        enum type_verdict e = om[i].bitfield || c->bitfield ? bitfield_member(m, os, ns, &om[i], c, sub)
                                                            : compare(m, os, ns, sub, depth + 1);
        if (e > v)
            v = e;
    }
    for (size_t j = 0; j < nn && v != TYPES_INCOMPATIBLE; j++) {
        bool found = false;
        for (size_t i = 0; i < no && !found; i++)
            found = counterpart(om, i, nm, nn) == &nm[j];
        if (!found) {
            char sub[256];
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", nm[j].name);
            note_change(m, sub, "added");
        }
    }
    if (v == TYPES_IDENTICAL) { /* one copy for the whole struct */
        m->plan->nops = mark;
        add_op(m, o.base, n.base, die_size(o.dbg, od, depth), die_size(n.dbg, nd, depth), COPY_BYTES);
    }
    xfree(om);
    xfree(nm);
    return v;
}

static enum type_verdict compare_dies(struct match *m, Dwarf_Die od, Dwarf_Die nd, struct side o,
                                      struct side n, const char *path, int depth)
{
    Dwarf_Half ot = die_tag(od), nt = die_tag(nd);
    bool ptr = ot == DW_TAG_pointer_type || ot == DW_TAG_reference_type || ot == DW_TAG_rvalue_reference_type;
    if (ptr && (nt == ot)) {
        add_op(m, o.base, n.base, 8, 8, COPY_BYTES);
        return TYPES_IDENTICAL;
    }
    if (ot != nt)
        return incompatible(m, "%s changed from %s to %s", *path ? path : "value",
                            *die_name(od) ? die_name(od) : "one kind of type",
                            *die_name(nd) ? die_name(nd) : "another");
    switch (ot) {
    case DW_TAG_base_type: return base_types(m, od, nd, o, n, path);
    case DW_TAG_enumeration_type: return enum_types(m, od, nd, o, n, path);
    case DW_TAG_array_type: return array_types(m, od, nd, o, n, path, depth);
    case DW_TAG_structure_type:
    case DW_TAG_class_type: return struct_types(m, od, nd, o, n, path, depth);
    case DW_TAG_union_type:
        if (die_size(o.dbg, od, depth) == die_size(n.dbg, nd, depth) && struct_types(m, od, nd, o, n, path, depth) == TYPES_IDENTICAL)
            return TYPES_IDENTICAL;
        return incompatible(m, "%s: union %s changed", *path ? path : "value", die_name(nd));
    }
    return incompatible(m, "%s: cannot compare a type of DWARF tag 0x%x", *path ? path : "value", ot);
}

static enum type_verdict compare(struct match *m, struct side o, struct side n, const char *path, int depth)
{
    add_anchor(m, o.base, n.base);
    if (depth > MAX_DEPTH)
        return incompatible(m, "%s: types nest too deeply", path);
    Dwarf_Die od = die_strip(o.dbg, o.type), nd = die_strip(n.dbg, n.type);
    enum type_verdict v = od && nd ? compare_dies(m, od, nd, o, n, path, depth)
                                   : incompatible(m, "%s: type not described", *path ? path : "value");
    if (od)
        dwarf_dealloc_die(od);
    if (nd)
        dwarf_dealloc_die(nd);
    return v;
}

static int by_from(const void *a, const void *b)
{
    const struct copy_op *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to_size < y->to_size ? -1 : x->to_size > y->to_size; /* anchors: outermost first */
}

/* Anchors and copies by old offset, for type_plan_offset's binary search
 * (an array of a million elements has as many). An anchor's to_size
 * keeps its rank, so that the outermost of equal offsets stays first. */
static void sort_for_lookup(struct type_plan *plan)
{
    for (size_t i = 0; i < plan->nanchors; i++)
        plan->anchors[i].to_size = (uint32_t)i;
    if (plan->nanchors)
        qsort(plan->anchors, plan->nanchors, sizeof *plan->anchors, by_from);
    if (plan->nops)
        qsort(plan->ops, plan->nops, sizeof *plan->ops, by_from);
}

void typematch(const struct debug_info *old, uint64_t old_type, const struct debug_info *new,
               uint64_t new_type, struct type_plan *plan)
{
    struct match m = {plan, {0}};
    struct side o = {debug_info_dbg(old), old_type, 0}, n = {debug_info_dbg(new), new_type, 0};
    memset(plan, 0, sizeof *plan);
    plan->verdict = compare(&m, o, n, "", 0);
    sort_for_lookup(plan);
    if (plan->verdict == TYPES_MIGRATABLE)
        plan->changes = m.changes.s ? m.changes.s : xstrdup("layout changed");
    else
        xfree(m.changes.s);
}

void type_plan_free(struct type_plan *plan)
{
    for (size_t i = 0; i < plan->nmaps; i++)
        xfree(plan->maps[i].pairs);
    xfree(plan->maps);
    xfree(plan->ops);
    xfree(plan->dropped);
    xfree(plan->anchors);
    xfree(plan->changes);
    xfree(plan->why);
    memset(plan, 0, sizeof *plan);
}

static uint64_t extend(const uint8_t *from, uint32_t size, bool is_signed)
{
    uint64_t v = 0;
    memcpy(&v, from, size); /* little-endian */
    if (is_signed && size < 8 && (v >> (size * 8 - 1)) & 1)
        v |= ~0ull << (size * 8);
    return v;
}

static void widen(const uint8_t *from, uint32_t from_size, uint8_t *to, uint32_t to_size, bool is_signed)
{
    uint64_t v = extend(from, from_size, is_signed);
    memcpy(to, &v, to_size);
}

/* The new value of an old enumerator; false if it has none. */
static bool enum_value(const struct type_plan *plan, const struct copy_op *op, const uint8_t *old, uint64_t *out)
{
    const struct enum_map *map = &plan->maps[op->map];
    uint64_t v = extend(old + op->from, op->from_size, true);
    for (size_t i = 0; i < map->n; i++)
        if (extend((const uint8_t *)&map->pairs[i].from, op->from_size, true) == v) {
            *out = map->pairs[i].to;
            return true;
        }
    *out = v;
    return false;
}

/* A bit-field's value: size bits from bit `bit` of p, extended. */
static uint64_t get_bits(const uint8_t *p, uint32_t bit, uint32_t size, bool is_signed)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < size; i++)
        v |= (uint64_t)((p[(bit + i) / 8] >> ((bit + i) % 8)) & 1) << i;
    if (is_signed && size < 64 && (v >> (size - 1)) & 1)
        v |= ~0ull << size;
    return v;
}

static void put_bits(uint8_t *p, uint32_t bit, uint32_t size, uint64_t v)
{
    for (uint32_t i = 0; i < size; i++) {
        uint8_t mask = (uint8_t)(1u << ((bit + i) % 8));
        p[(bit + i) / 8] = (p[(bit + i) / 8] & ~mask) | (((v >> i) & 1) ? mask : 0);
    }
}

/* Does a narrowed integer keep its value? */
static bool fits(const struct copy_op *op, const uint8_t *old)
{
    bool is_signed = op->kind == COPY_SIGNED;
    uint64_t v = extend(old + op->from, op->from_size, is_signed);
    uint8_t low[8];
    memcpy(low, &v, 8);
    return extend(low, op->to_size, is_signed) == v;
}

/* The first of n entries sorted by from whose from is > off. */
static size_t upper_bound(const struct copy_op *v, size_t n, uint64_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].from <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool type_plan_offset(const struct type_plan *plan, uint64_t off, uint64_t *out)
{
    size_t a = upper_bound(plan->anchors, plan->nanchors, off);
    while (a > 0 && plan->anchors[a - 1].from == off)
        a--; /* back to the outermost */
    if (a < plan->nanchors && plan->anchors[a].from == off) {
        *out = plan->anchors[a].to;
        return true;
    }
    size_t i = upper_bound(plan->ops, plan->nops, off);
    const struct copy_op *op = i > 0 ? &plan->ops[i - 1] : NULL;
    bool bits = op && (op->kind == COPY_BITS_SIGNED || op->kind == COPY_BITS_UNSIGNED);
    if (!op || bits || off >= op->from + op->from_size || (op->kind != COPY_BYTES && off != op->from))
        return false;
    *out = op->to + (op->kind == COPY_BYTES ? off - op->from : 0);
    return true;
}

static bool op_within(const struct copy_op *op, uint64_t old_size, uint64_t new_size)
{
    bool bits = op->kind == COPY_BITS_SIGNED || op->kind == COPY_BITS_UNSIGNED;
    if (bits)
        return op->from <= old_size && (old_size - op->from) * 8 >= (uint64_t)op->from_bit + op->from_size &&
               op->to <= new_size && (new_size - op->to) * 8 >= (uint64_t)op->to_bit + op->to_size;
    return op->from <= old_size && old_size - op->from >= op->from_size && op->to <= new_size &&
           new_size - op->to >= op->to_size;
}

bool type_plan_within(const struct type_plan *plan, uint64_t old_size, uint64_t new_size)
{
    for (size_t i = 0; i < plan->nops; i++)
        if (!op_within(&plan->ops[i], old_size, new_size))
            return false;
    for (size_t i = 0; i < plan->ndropped; i++)
        if (plan->dropped[i].from > old_size || old_size - plan->dropped[i].from < plan->dropped[i].from_size)
            return false;
    for (size_t i = 0; i < plan->nanchors; i++)
        if (plan->anchors[i].from > old_size || plan->anchors[i].to > new_size)
            return false;
    return true;
}

/* What one copy would lose of this old value, or NULL. */
static char *op_loss(const struct type_plan *plan, const struct copy_op *op, const uint8_t *o)
{
    uint64_t v;
    bool is_signed = op->kind == COPY_BITS_SIGNED;
    if (op->kind == COPY_ENUM && !enum_value(plan, op, o, &v))
        return xasprintf("the value %lld at old byte offset %lu names no enumerator of the new enum",
                         (long long)v, (unsigned long)op->from);
    if ((is_signed || op->kind == COPY_BITS_UNSIGNED) && op->to_size < op->from_size) {
        uint8_t buf[9] = {0};
        v = get_bits(o + op->from, op->from_bit, op->from_size, is_signed);
        put_bits(buf, 0, op->to_size, v);
        if (get_bits(buf, 0, op->to_size, is_signed) != v)
            return xasprintf("a bit-field at old byte offset %lu does not fit in %u bits",
                             (unsigned long)op->from, op->to_size);
    }
    if ((op->kind == COPY_SIGNED || op->kind == COPY_UNSIGNED) && op->to_size < op->from_size && !fits(op, o))
        return xasprintf("a value at old byte offset %lu does not fit in %u bytes", (unsigned long)op->from,
                         op->to_size);
    return NULL;
}

char *type_plan_loss(const struct type_plan *plan, const void *old)
{
    const uint8_t *o = old;
    for (size_t i = 0; i < plan->ndropped; i++)
        for (uint32_t k = 0; k < plan->dropped[i].from_size; k++)
            if (o[plan->dropped[i].from + k])
                return xasprintf("a removed part holds data (old byte offset %lu is not zero)",
                                 (unsigned long)(plan->dropped[i].from + k));
    for (size_t i = 0; i < plan->nops; i++) {
        char *loss = op_loss(plan, &plan->ops[i], o);
        if (loss)
            return loss;
    }
    return NULL;
}

void type_plan_apply(const struct type_plan *plan, const void *old, void *new)
{
    const uint8_t *o = old;
    uint8_t *n = new;
    for (size_t i = 0; i < plan->nops; i++) {
        const struct copy_op *op = &plan->ops[i];
        switch (op->kind) {
        case COPY_BYTES: memcpy(n + op->to, o + op->from, op->from_size); break;
        case COPY_SIGNED: widen(o + op->from, op->from_size, n + op->to, op->to_size, true); break;
        case COPY_UNSIGNED: widen(o + op->from, op->from_size, n + op->to, op->to_size, false); break;
        case COPY_BITS_SIGNED:
        case COPY_BITS_UNSIGNED:
            put_bits(n + op->to, op->to_bit, op->to_size,
                     get_bits(o + op->from, op->from_bit, op->from_size, op->kind == COPY_BITS_SIGNED));
            break;
        case COPY_ENUM: {
            uint64_t v;
            enum_value(plan, op, o, &v);
            memcpy(n + op->to, &v, op->to_size);
            break;
        }
        case COPY_FLOAT: {
            float f;
            memcpy(&f, o + op->from, 4);
            double d = f;
            memcpy(n + op->to, &d, 8);
            break;
        }
        }
    }
}
