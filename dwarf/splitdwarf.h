/* Split DWARF (-gsplit-dwarf): the object keeps a skeleton unit, which
 * names a .dwo file beside it that holds the rest (variables, types); the
 * object keeps the addresses they use, in .debug_addr, with its
 * relocations. */
#ifndef HOTLD_SPLITDWARF_H
#define HOTLD_SPLITDWARF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dwarflib.h"

struct skeleton {
    const char *dwo_name;       /* as the unit says it (libdwarf's string) */
    const char *comp_dir;       /* or NULL */
    uint64_t id;                /* the DWO id both units carry */
    uint64_t addr_base;         /* where the unit's .debug_addr entries start */
};

/* Is dbg's unit a skeleton? Then *sk says of it. */
bool skeleton_of(Dwarf_Debug dbg, struct skeleton *sk);
/* The bytes (xfree them) of the .dwo file sk names, found by its name,
 * under the unit's directory, or beside object_path (which may be NULL);
 * NULL if there is none. */
char *dwo_read(const struct skeleton *sk, const char *object_path, size_t *size);
/* Is dwo's unit the one sk was compiled with (the same id)? A .dwo
 * rebuilt since belongs to another object. */
bool dwo_matches(const struct skeleton *sk, Dwarf_Debug dwo);

#endif
