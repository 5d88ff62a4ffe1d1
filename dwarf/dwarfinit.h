/* libdwarf 0.x dropped dwarf_init_b's access argument and dwarf_finish's
 * error one: the dwarf/ files open and close a handle through these. */
#ifndef HOTLD_DWARFINIT_H
#define HOTLD_DWARFINIT_H

#include <libdwarf.h>

#ifdef DW_LIBDWARF_VERSION_MAJOR
#define DWARF_INIT(fd, dbg, err) dwarf_init_b((fd), DW_GROUPNUMBER_ANY, NULL, NULL, (dbg), (err))
#define DWARF_FINISH(dbg) dwarf_finish(dbg)
#else
#define DWARF_INIT(fd, dbg, err) dwarf_init_b((fd), DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, (dbg), (err))
#define DWARF_FINISH(dbg) dwarf_finish((dbg), NULL)
#endif

#endif
