/* Whether two relocations, of two versions of an object, reach the same
 * thing: what tells a changed function, or a changed initial value, from
 * one rebuilt the same. Private to reload/. */
#ifndef HOTLD_RELOCTARGET_H
#define HOTLD_RELOCTARGET_H

#include "linker.h"

/* One version of an object, with its symbol table at hand. */
struct object_view {
    struct object *obj;
    const Elf64_Sym *syms;
    size_t nsyms;
};

struct object_view object_view_of(struct object *obj);

/* The index of the variable or function r reaches: its symbol, or for a
 * place in a section (a section symbol, an assembler label) the one that
 * holds it; 0 if none does. */
size_t reloc_symbol_reached(const struct object_view *v, const Elf64_Rela *r);

/* The same type, reaching a symbol of the same name at the same offset
 * from it, or the same place in a section of the same name; in read-only
 * data, a constant with the same bytes. A place in a section is taken as
 * the variable or function it falls in, when one does: a static that
 * moves in its section (another was added before it) is still itself. */
bool same_reloc_target(const struct object_view *a, const Elf64_Rela *ra, const struct object_view *b,
                       const Elf64_Rela *rb);

/* Do a and b reach the same offset in the one constant table of a name
 * in each version, which a reload makes the program's pointers follow
 * (constants.c)? Then an initializer that points into it is the same,
 * whatever the table's new value. */
bool same_constant_reached(const struct object_view *a, const Elf64_Rela *ra, const struct object_view *b,
                           const Elf64_Rela *rb);

#endif
