/* Opening libdwarf on ELF bytes in memory, for 20210528 and 0.x alike
 * (0.x dropped dwarf_init_b's access argument and dwarf_finish's error
 * one). */
#include "dwarfopen.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef DW_LIBDWARF_VERSION_MAJOR
#define DWARF_INIT(fd, dbg, err) dwarf_init_b((fd), DW_GROUPNUMBER_ANY, NULL, NULL, (dbg), (err))
#define DWARF_FINISH(dbg) dwarf_finish(dbg)
#else
#define DWARF_INIT(fd, dbg, err) dwarf_init_b((fd), DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, (dbg), (err))
#define DWARF_FINISH(dbg) dwarf_finish((dbg), NULL)
#endif

/* The edits go to the memfd after the bytes, so that no copy of the
 * object (30 MB for a large C++ one) is made in memory: on a virtual
 * machine each new page of one costs 5-15 us at its first touch. */
static bool write_edited(int fd, const void *bytes, size_t size, const struct dwarf_edit *edits, size_t n)
{
    if (write(fd, bytes, size) != (ssize_t)size)
        return false;
    for (size_t i = 0; i < n; i++)
        if (edits[i].at > (size_t)INT64_MAX - edits[i].size ||
            pwrite(fd, edits[i].bytes, edits[i].size, (off_t)edits[i].at) != (ssize_t)edits[i].size)
            return false;
    return true;
}

Dwarf_Debug dwarf_open_bytes(const void *bytes, size_t size, const struct dwarf_edit *edits, size_t n, int *fd)
{
    Dwarf_Debug dbg = NULL;
    Dwarf_Error err = NULL;
    *fd = -1;
    if (!dwarflib_load())
        return NULL;
    *fd = memfd_create("hotld-dwarf", MFD_CLOEXEC);
    if (*fd < 0)
        return NULL;
    if (write_edited(*fd, bytes, size, edits, n) && DWARF_INIT(*fd, &dbg, &err) == DW_DLV_OK)
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
