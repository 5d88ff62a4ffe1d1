/* Renaming an old version's DWARF names to NAME#VERSION (oldnames.c). */
#ifndef HOTLD_GDB_OLDNAMES_H
#define HOTLD_GDB_OLDNAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dwarf_section {
    unsigned char *data;
    size_t size;
};

/* Offsets in these sections are those of the merged image (the version's
 * relocations have been applied). info and line are the version's own
 * pieces; the others are whole. The string sections may grow while names
 * are renamed, so they are asked for each time. */
struct dwarf_view {
    struct dwarf_section info, line, abbrev, str_offsets;
    struct dwarf_section (*strings)(void *ctx, bool line_str);
    /* Append TEXT to the string section; returns its offset. */
    uint32_t (*add_string)(void *ctx, bool line_str, const char *text);
    void *ctx;
    const char *suffix;         /* "#VERSION" */
    const char *source_dir;     /* where the version's sources are kept, or NULL */
};

/* Call each(ctx, name, comp_dir) for every compilation unit in v.info
 * (strings as the unit gives them; comp_dir may be ""). */
void dwarf_unit_sources(struct dwarf_view *v, void (*each)(void *ctx, const char *name, const char *comp_dir),
                        void *ctx);

/* False if the DWARF is of a shape not handled; names may then be half
 * renamed, and the caller must not publish this version's DWARF. */
bool dwarf_rename(struct dwarf_view *v);

#endif
