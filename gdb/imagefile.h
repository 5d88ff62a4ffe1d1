/* Each generation's image mapped from a file with its symbols and DWARF,
 * for valgrind, perf and the sanitizers (see imagefile.c). */
#ifndef HOTLD_GDB_IMAGEFILE_H
#define HOTLD_GDB_IMAGEFILE_H

#include "elfimage.h"
#include "linker.h"

/* The program's name, for the files' names (its basename is used). */
void image_files_name(const char *name);

/* List ld's image for dl_iterate_phdr and, when a tool that reads files
 * watches the program, write it as a file and map ld's code, constants
 * and relocated data from it. Call it before any of ld's code runs. A
 * failure to make the file is a warning: the program is unharmed, the
 * tools see anonymous memory. */
void image_file_map(const struct link *ld);

/* ld's image goes (a failed reload's): so do its file and module. */
void image_file_forget(const struct link *ld);

/* ld's objects are now objs (current ones, and replaced ones named
 * NAME#version, as in gdb): its file, if it has one, says so from now on,
 * to tools that read it later (perf, a sanitizer's symbolizer). */
void image_file_rename(const struct link *ld, const struct image_objects *objs);

#endif
