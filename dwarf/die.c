#include "die.h"

#include <stddef.h>

#include "util.h"

static bool signature_ref(Dwarf_Debug dbg, Dwarf_Attribute a, Dwarf_Off *off);

/* A type's stub in a compile unit (DW_AT_signature, gcc
 * -fdebug-types-section) stands for its type unit's DIE: that is the DIE
 * returned, or none if the unit is not found. The stub itself says
 * nothing of the type, and read as one it would match any other stub. */
Dwarf_Die die_at(Dwarf_Debug dbg, Dwarf_Off off)
{
    Dwarf_Die d = NULL;
    Dwarf_Attribute a;
    Dwarf_Error err = NULL;
    if (dwarf_offdie_b(dbg, off, 1, &d, &err) != DW_DLV_OK)
        return NULL;
    if (dwarf_attr(d, DW_AT_signature, &a, &err) != DW_DLV_OK)
        return d;
    Dwarf_Off unit_type;
    bool found = signature_ref(dbg, a, &unit_type);
    dwarf_dealloc_attribute(a);
    dwarf_dealloc_die(d);
    d = NULL;
    return found && dwarf_offdie_b(dbg, unit_type, 1, &d, &err) == DW_DLV_OK ? d : NULL;
}

uint64_t die_addr_base(Dwarf_Die cu)
{
    Dwarf_Attribute a;
    Dwarf_Error err = NULL;
    Dwarf_Unsigned base = 0;
    if (dwarf_attr(cu, DW_AT_addr_base, &a, &err) == DW_DLV_OK ||
        dwarf_attr(cu, DW_AT_GNU_addr_base, &a, &err) == DW_DLV_OK) {
        Dwarf_Off off;
        if (dwarf_global_formref(a, &off, &err) == DW_DLV_OK)
            base = off;
        else
            dwarf_formudata(a, &base, &err);
        dwarf_dealloc_attribute(a);
    }
    return base;
}

Dwarf_Half die_tag(Dwarf_Die d)
{
    Dwarf_Half tag = 0;
    Dwarf_Error err = NULL;
    dwarf_tag(d, &tag, &err);
    return tag;
}

const char *die_name(Dwarf_Die d)
{
    char *name = NULL;
    Dwarf_Error err = NULL;
    return dwarf_diename(d, &name, &err) == DW_DLV_OK ? name : "";
}

bool die_udata(Dwarf_Die d, Dwarf_Half at, Dwarf_Unsigned *v)
{
    Dwarf_Attribute a;
    Dwarf_Error err = NULL;
    if (dwarf_attr(d, at, &a, &err) != DW_DLV_OK)
        return false;
    bool ok = dwarf_formudata(a, v, &err) == DW_DLV_OK;
    if (!ok) {
        Dwarf_Signed s;
        ok = dwarf_formsdata(a, &s, &err) == DW_DLV_OK;
        *v = (Dwarf_Unsigned)s;
    }
    dwarf_dealloc_attribute(a);
    return ok;
}

/* A type unit's type, named by its signature (DW_FORM_ref_sig8: gcc
 * -fdebug-types-section), as a .debug_info offset: DWARF 5 keeps type
 * units there. DWARF 4 keeps them in .debug_types, which is not read. */
static bool signature_ref(Dwarf_Debug dbg, Dwarf_Attribute a, Dwarf_Off *off)
{
    Dwarf_Sig8 sig;
    Dwarf_Die t = NULL;
    Dwarf_Bool is_info = 0;
    Dwarf_Error err = NULL;
    if (dwarf_formsig8(a, &sig, &err) != DW_DLV_OK || dwarf_find_die_given_sig8(dbg, &sig, &t, &is_info, &err) != DW_DLV_OK)
        return false;
    bool ok = is_info && dwarf_dieoffset(t, off, &err) == DW_DLV_OK;
    dwarf_dealloc_die(t);
    return ok;
}

bool die_ref(Dwarf_Debug dbg, Dwarf_Die d, Dwarf_Half at, Dwarf_Off *off)
{
    Dwarf_Attribute a;
    Dwarf_Half form = 0;
    Dwarf_Error err = NULL;
    if (dwarf_attr(d, at, &a, &err) != DW_DLV_OK)
        return false;
    bool ok = dwarf_whatform(a, &form, &err) == DW_DLV_OK && form == DW_FORM_ref_sig8
                  ? signature_ref(dbg, a, off)
                  : dwarf_global_formref(a, off, &err) == DW_DLV_OK;
    dwarf_dealloc_attribute(a);
    return ok;
}

const char *die_string(Dwarf_Die d, Dwarf_Half at)
{
    Dwarf_Attribute a;
    Dwarf_Error err = NULL;
    char *s = NULL;
    if (dwarf_attr(d, at, &a, &err) != DW_DLV_OK)
        return NULL;
    if (dwarf_formstring(a, &s, &err) != DW_DLV_OK)
        s = NULL;
    dwarf_dealloc_attribute(a);
    return s;
}

bool die_has(Dwarf_Die d, Dwarf_Half at)
{
    Dwarf_Bool has = 0;
    Dwarf_Error err = NULL;
    return dwarf_hasattr(d, at, &has, &err) == DW_DLV_OK && has;
}

bool die_flag(Dwarf_Die d, Dwarf_Half at)
{
    Dwarf_Bool set = 0;
    Dwarf_Error err = NULL;
    return dwarf_hasattr(d, at, &set, &err) == DW_DLV_OK && set;
}

Dwarf_Die die_first_child(Dwarf_Die d)
{
    Dwarf_Die c = NULL;
    Dwarf_Error err = NULL;
    return dwarf_child(d, &c, &err) == DW_DLV_OK ? c : NULL;
}

/* d's sibling link (its DW_AT_sibling, renamed: DIE_SIBLING_LINK), if d
 * has children to skip and a link. */
static bool sibling_link(Dwarf_Debug dbg, Dwarf_Die d, Dwarf_Off *to)
{
    Dwarf_Half children = 0;
    return dwarf_die_abbrev_children_flag(d, &children) == DW_DLV_OK && children &&
           die_ref(dbg, d, DIE_SIBLING_LINK, to);
}

/* A sibling comes after its DIE, or the list ends (a link that does not
 * lead forward is a corrupt object's). gcc links a DIE with children to
 * its sibling: followed here, not by libdwarf, which would loop on a link
 * to the DIE itself (debuginfo.c). Without a link, libdwarf reads through
 * the children. */
Dwarf_Die die_next(Dwarf_Debug dbg, Dwarf_Die d)
{
    Dwarf_Die next = NULL;
    Dwarf_Error err = NULL;
    Dwarf_Off at = 0, to = 0;
    bool ok = dwarf_dieoffset(d, &at, &err) == DW_DLV_OK;
    if (ok && sibling_link(dbg, d, &to))
        ok = to > at && dwarf_offdie_b(dbg, to, 1, &next, &err) == DW_DLV_OK;
    else
        ok = ok && dwarf_siblingof_b(dbg, d, 1, &next, &err) == DW_DLV_OK &&
             dwarf_dieoffset(next, &to, &err) == DW_DLV_OK && to > at;
    dwarf_dealloc_die(d);
    if (!ok && next)
        dwarf_dealloc_die(next);
    return ok ? next : NULL;
}

bool die_type_is_const(Dwarf_Debug dbg, Dwarf_Off off)
{
    Dwarf_Die d = die_at(dbg, off);
    for (int i = 0; d && i < 32; i++) {
        Dwarf_Half t = die_tag(d);
        bool follow = t == DW_TAG_typedef || t == DW_TAG_volatile_type || t == DW_TAG_array_type ||
                      t == DW_TAG_restrict_type || t == DW_TAG_atomic_type;
        Dwarf_Off next;
        bool more = follow && die_ref(dbg, d, DW_AT_type, &next);
        dwarf_dealloc_die(d);
        if (t == DW_TAG_const_type)
            return true;
        d = more ? die_at(dbg, next) : NULL;
    }
    if (d)
        dwarf_dealloc_die(d);
    return false;
}

/* Through typedefs and qualifiers to the type that says the layout. A
 * qualifier without DW_AT_type is "const void": no DIE. */
Dwarf_Die die_strip(Dwarf_Debug dbg, Dwarf_Off off)
{
    Dwarf_Die d = die_at(dbg, off);
    for (int i = 0; d && i < 32; i++) {
        Dwarf_Half t = die_tag(d);
        if (t != DW_TAG_typedef && t != DW_TAG_const_type && t != DW_TAG_volatile_type &&
            t != DW_TAG_restrict_type && t != DW_TAG_atomic_type)
            return d;
        Dwarf_Off next;
        bool more = die_ref(dbg, d, DW_AT_type, &next);
        dwarf_dealloc_die(d);
        d = more ? die_at(dbg, next) : NULL;
    }
    return d;
}

/* A bit-field's first bit from the struct's start: gcc says it with
 * DW_AT_data_bit_offset; the older form (DW_AT_bit_offset, clang with
 * -gdwarf-4) counts from the most significant bit of a storage unit of
 * DW_AT_byte_size bytes at DW_AT_data_member_location. */
static uint64_t bit_position(Dwarf_Die c, uint64_t bits)
{
    Dwarf_Unsigned pos = 0, off = 0, unit = 0, from_top = 0;
    if (die_udata(c, DW_AT_data_bit_offset, &pos))
        return pos;
    die_udata(c, DW_AT_data_member_location, &off);
    if (!die_udata(c, DW_AT_bit_offset, &from_top) || !die_udata(c, DW_AT_byte_size, &unit))
        return off * 8;
    return off * 8 + unit * 8 - from_top - bits;
}

size_t die_members(Dwarf_Debug dbg, Dwarf_Die d, struct die_member **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (Dwarf_Die c = die_first_child(d); c; c = die_next(dbg, c)) {
        Dwarf_Unsigned off = 0, bits = 0;
        struct die_member mb = {die_name(c), 0, 0, die_udata(c, DW_AT_bit_size, &bits), 0, bits};
        if ((die_tag(c) == DW_TAG_member || die_tag(c) == DW_TAG_inheritance) && die_ref(dbg, c, DW_AT_type, &mb.type)) {
            die_udata(c, DW_AT_data_member_location, &off);
            mb.offset = off;
            if (mb.bitfield) {
                mb.bit_pos = bit_position(c, bits);
                mb.offset = mb.bit_pos / 8;
            }
            ARRAY_PUSH(*out, n, cap, mb); /* its name stays valid until dwarf_finish */
        }
    }
    return n;
}
