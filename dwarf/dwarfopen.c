/* Opening libdwarf on ELF bytes in memory, for 20210528 and 0.x alike
 * (0.x dropped dwarf_init_b's access argument and dwarf_finish's error
 * one). */
#include "dwarfopen.h"

#include <sys/mman.h>
#include <unistd.h>

#ifdef DW_LIBDWARF_VERSION_MAJOR
#define DWARF_INIT(fd, dbg, err) dwarf_init_b((fd), DW_GROUPNUMBER_ANY, NULL, NULL, (dbg), (err))
#define DWARF_FINISH(dbg) dwarf_finish(dbg)
#else
#define DWARF_INIT(fd, dbg, err) dwarf_init_b((fd), DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, (dbg), (err))
#define DWARF_FINISH(dbg) dwarf_finish((dbg), NULL)
#endif

Dwarf_Debug dwarf_open_bytes(const void *bytes, size_t size, int *fd)
{
    Dwarf_Debug dbg = NULL;
    Dwarf_Error err = NULL;
    *fd = -1;
    if (!dwarflib_load())
        return NULL;
    *fd = memfd_create("hotld-dwarf", MFD_CLOEXEC);
    if (*fd < 0)
        return NULL;
    if (write(*fd, bytes, size) == (ssize_t)size && DWARF_INIT(*fd, &dbg, &err) == DW_DLV_OK)
        return dbg;
    if (err)
        dwarf_dealloc_error(dbg, err); /* made without a dbg to own it */
    close(*fd);
    *fd = -1;
    return NULL; /* DW_DLV_NO_ENTRY: no DWARF */
}

void dwarf_close_bytes(Dwarf_Debug dbg, int fd)
{
    DWARF_FINISH(dbg);
    close(fd);
}
