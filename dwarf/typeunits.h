/* An object's .debug_info sections made one, for libdwarf. gcc
 * -fdebug-types-section puts each type unit (a struct, union, class or
 * enum, named by a signature) in a .debug_info of its own, in a COMDAT
 * group, and the compile unit refers to it by that signature. libdwarf
 * reads the sections of one group only: it would see the variables and
 * none of their types. With -gsplit-dwarf too, the .dwo file has a
 * .debug_info.dwo for each, in no group; libdwarf reads the first. */
#ifndef HOTLD_TYPEUNITS_H
#define HOTLD_TYPEUNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gelf.h>

struct merged_info {
    uint8_t *bytes;             /* the compile unit's section, then each type unit's */
    size_t size;
    Elf64_Rela *relas;          /* their relocations, offsets into bytes */
    size_t nrelas;
    Elf64_Shdr info_hdr, rela_hdr;  /* the first section's headers, */
    uint64_t info_hdr_at, rela_hdr_at;  /* to point at bytes and relas (0: none) */
    uint64_t *hide;             /* the type units' sections' headers */
    size_t nhide;
};

/* Is the section the debug section base, in an object or in a .dwo file
 * (".debug_info.dwo")? */
bool debug_section_is(const char *name, const char *base);
/* Merge e's .debug_info sections (or .debug_info.dwo) if there are
 * several, and the one outside any group has relocations if any has;
 * false (m empty) if not. */
bool merge_info_sections(Elf *e, struct merged_info *m);
void merged_info_free(struct merged_info *m);

#endif
