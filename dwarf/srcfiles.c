/* The files behind an object: every file its line tables list (DWARF 5
 * lists the files that declarations come from too), which is what a
 * watcher of sources must follow. */
#include <stdbool.h>

#include "srcfiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "die.h"
#include "dwarfopen.h"

static void unit_files(Dwarf_Debug dbg, Dwarf_Die cu, void (*each)(const char *path, void *ctx), void *ctx)
{
    Dwarf_Error err = NULL;
    char **files = NULL;
    Dwarf_Signed n = 0;
    if (dwarf_srcfiles(cu, &files, &n, &err) != DW_DLV_OK)
        return;
    const char *dir = die_string(cu, DW_AT_comp_dir);
    for (Dwarf_Signed i = 0; i < n; i++) {
        if (files[i][0] == '/' || !dir) {
            each(files[i], ctx);
        } else {
            char *path = malloc(strlen(dir) + strlen(files[i]) + 2);
            if (path) {
                sprintf(path, "%s/%s", dir, files[i]);
                each(path, ctx);
                free(path);
            }
        }
        dwarf_dealloc(dbg, files[i], DW_DLA_STRING);
    }
    dwarf_dealloc(dbg, files, DW_DLA_LIST);
}

bool dwarf_source_files(const void *bytes, size_t size, void (*each)(const char *path, void *ctx), void *ctx)
{
    int fd;
    Dwarf_Debug dbg = dwarf_open_bytes(bytes, size, NULL, 0, &fd);
    if (!dbg)
        return false;
    Dwarf_Error err = NULL;
    Dwarf_Unsigned next;
    Dwarf_Half cu_type;
    while (dwarf_next_cu_header_d(dbg, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &next, &cu_type, &err) ==
           DW_DLV_OK) {
        Dwarf_Die cu = NULL;
        if (dwarf_siblingof_b(dbg, NULL, 1, &cu, &err) != DW_DLV_OK)
            continue;
        unit_files(dbg, cu, each, ctx);
        dwarf_dealloc_die(cu);
    }
    dwarf_close_bytes(dbg, fd);
    return true;
}
