/* Copies of each version's source files, so that gdb shows an old frame
 * the source it was compiled from (the old version's DWARF points there:
 * gdb/oldnames.c). */
#ifndef HOTLD_GDB_SNAPSHOT_H
#define HOTLD_GDB_SNAPSHOT_H

#include "elfimage.h"

/* Copy each file of l to ROOT/vVERSION/BASENAME#VERSION. */
void snapshot_sources(const char *root, unsigned version, const struct source_list *l);
/* Remove ROOT and everything under it. */
void snapshot_remove(const char *root);
/* Remove the snapshots (sources-PID) in dir of sessions that are gone. */
void snapshot_remove_stale(const char *dir);

#endif
