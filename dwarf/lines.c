/* The source line of an address, from a relocated ELF+DWARF image (the
 * debug image a generation publishes for GDB, gdb/elfimage.c): its line
 * tables hold the addresses the code runs at, so a program counter is
 * looked up as it is. */
#include "lines.h"

#include <stdio.h>
#include <string.h>

#include "die.h"
#include "dwarfopen.h"

/* The row of one unit's line table that covers pc: the last row at or
 * before pc within a sequence that goes past it. */
static bool row_of(Dwarf_Line *lines, Dwarf_Signed n, uint64_t pc, Dwarf_Line *found)
{
    Dwarf_Error err = NULL;
    Dwarf_Addr best = 0;
    bool have = false;
    for (Dwarf_Signed i = 0; i + 1 < n; i++) {
        Dwarf_Addr a, next;
        Dwarf_Bool end = 0;
        if (dwarf_lineaddr(lines[i], &a, &err) != DW_DLV_OK || dwarf_lineendsequence(lines[i], &end, &err) != DW_DLV_OK ||
            end || dwarf_lineaddr(lines[i + 1], &next, &err) != DW_DLV_OK)
            continue;
        if (a <= pc && pc < next && (!have || a >= best)) {
            best = a;
            *found = lines[i];
            have = true;
        }
    }
    return have;
}

/* Does the row's file number need mending? libdwarf 20210528 starts the
 * file register of a DWARF 5 line program at 0, where the standard says
 * 1, so a row before the first DW_LNS_set_file says file 0. gcc never
 * sets file 0 itself (its rows name the primary file by another entry),
 * so from gcc a 0 is that default; clang does set 0, and is believed. */
static bool default_file_misread(Dwarf_Die cu, Dwarf_Unsigned version)
{
#ifdef DW_LIBDWARF_VERSION_MAJOR
    (void)cu;
    (void)version;
    return false; /* 0.x starts at 1 */
#else
    const char *producer = version == 5 ? die_string(cu, DW_AT_producer) : NULL;
    return producer && !strncmp(producer, "GNU ", 4);
#endif
}

/* The row's file as its line table names it, from the directory it gives
 * (dwarf_linesrc would not mend the file number). */
static bool row_file(Dwarf_Line_Context ctx, Dwarf_Line row, bool mend, const char *comp_dir,
                     struct source_line *out)
{
    Dwarf_Error err = NULL;
    Dwarf_Unsigned fileno, dir, mtime, length;
    Dwarf_Form_Data16 *md5;
    const char *name, *dirname = NULL;
    if (dwarf_line_srcfileno(row, &fileno, &err) != DW_DLV_OK)
        return false;
    if (mend && fileno == 0)
        fileno = 1;
    if (dwarf_srclines_files_data_b(ctx, (Dwarf_Signed)fileno, &name, &dir, &mtime, &length, &md5, &err) != DW_DLV_OK)
        return false;
    if (name[0] != '/' && dwarf_srclines_include_dir_data(ctx, (Dwarf_Signed)dir, &dirname, &err) == DW_DLV_OK &&
        dirname)
        snprintf(out->file, sizeof out->file, "%s/%s", dirname, name);
    else if (name[0] != '/' && comp_dir)
        snprintf(out->file, sizeof out->file, "%s/%s", comp_dir, name); /* DWARF 5's directory 0 */
    else
        snprintf(out->file, sizeof out->file, "%s", name);
    return true;
}


static bool unit_line(Dwarf_Die cu, uint64_t pc, struct source_line *out)
{
    Dwarf_Error err = NULL;
    Dwarf_Unsigned version;
    Dwarf_Small count;
    Dwarf_Line_Context ctx;
    Dwarf_Line *lines, row;
    Dwarf_Signed n;
    if (dwarf_srclines_b(cu, &version, &count, &ctx, &err) != DW_DLV_OK)
        return false;
    bool found = dwarf_srclines_from_linecontext(ctx, &lines, &n, &err) == DW_DLV_OK && row_of(lines, n, pc, &row);
    Dwarf_Unsigned line = 0;
    found = found && row_file(ctx, row, default_file_misread(cu, version), die_string(cu, DW_AT_comp_dir), out) &&
            dwarf_lineno(row, &line, &err) == DW_DLV_OK;
    out->line = (unsigned)line;
    dwarf_srclines_dealloc_b(ctx);
    return found;
}

static bool lookup(Dwarf_Debug dbg, uint64_t pc, struct source_line *out)
{
    Dwarf_Error err = NULL;
    Dwarf_Unsigned next;
    Dwarf_Half cu_type;
    bool found = false;
    while (dwarf_next_cu_header_d(dbg, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &next, &cu_type,
                                  &err) == DW_DLV_OK) {
        Dwarf_Die cu = NULL;
        if (found || dwarf_siblingof_b(dbg, NULL, 1, &cu, &err) != DW_DLV_OK)
            continue; /* read on to the end: libdwarf's unit iteration resets there */
        found = unit_line(cu, pc, out);
        dwarf_dealloc_die(cu);
    }
    return found;
}

bool source_line_of(const void *image, size_t size, uint64_t pc, struct source_line *out)
{
    int fd;
    Dwarf_Debug dbg = dwarf_open_bytes(image, size, NULL, 0, &fd);
    bool found = dbg && lookup(dbg, pc, out);
    if (dbg)
        dwarf_close_bytes(dbg, fd);
    return found;
}
