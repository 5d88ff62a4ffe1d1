/* Small accessors over libdwarf's DIEs, shared by the dwarf/ files: each
 * returns a plain value and hides libdwarf's error plumbing (a missing or
 * malformed attribute reads as absent). */
#ifndef HOTLD_DIE_H
#define HOTLD_DIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dwarflib.h"

/* The DIE at a .debug_info offset, or NULL; dwarf_dealloc_die it. */
Dwarf_Die die_at(Dwarf_Debug dbg, Dwarf_Off off);
Dwarf_Half die_tag(Dwarf_Die d);
/* A unit's DW_AT_addr_base (DWARF 5) or DW_AT_GNU_addr_base (GNU's split
 * DWARF 4): where its .debug_addr entries start. */
uint64_t die_addr_base(Dwarf_Die cu);
/* Its DW_AT_name, or "" (valid until dwarf_finish). */
const char *die_name(Dwarf_Die d);
/* A constant attribute, unsigned or signed. */
bool die_udata(Dwarf_Die d, Dwarf_Half at, Dwarf_Unsigned *v);
/* A reference attribute (DW_AT_type, DW_AT_specification, ...), as a
 * .debug_info offset, also to a type unit's type by its signature. */
bool die_ref(Dwarf_Debug dbg, Dwarf_Die d, Dwarf_Half at, Dwarf_Off *off);
bool die_flag(Dwarf_Die d, Dwarf_Half at);
/* A string attribute (DW_AT_producer, DW_AT_comp_dir, ...), or NULL. */
const char *die_string(Dwarf_Die d, Dwarf_Half at);
bool die_has(Dwarf_Die d, Dwarf_Half at);

/* Children in order: for (c = die_first_child(d); c; c = die_next(dbg, c));
 * die_next frees the DIE it is given. */
/* The attribute that libdwarf's copy of an object has for DW_AT_sibling
 * (debuginfo.c): 0x04, reserved, which libdwarf does not follow. */
#define DIE_SIBLING_LINK 0x04
Dwarf_Die die_first_child(Dwarf_Die d);
Dwarf_Die die_next(Dwarf_Debug dbg, Dwarf_Die d);

/* Through typedefs and qualifiers to the type that says the layout, or
 * NULL ("const void"). */
/* Is the type const (through typedefs, volatile, and an array to its
 * elements)? */
bool die_type_is_const(Dwarf_Debug dbg, Dwarf_Off off);
Dwarf_Die die_strip(Dwarf_Debug dbg, Dwarf_Off off);

/* A struct's, union's or class's members (and base classes), in order. */
struct die_member {
    const char *name;
    Dwarf_Off type;
    uint64_t offset;
    bool bitfield;
    uint64_t bit_pos, bit_size;  /* a bit-field's place, from the struct's start */
};
size_t die_members(Dwarf_Debug dbg, Dwarf_Die d, struct die_member **out);

#endif
