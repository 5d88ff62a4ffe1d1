/* libdwarf, loaded when hotld first reads DWARF (a reload's type checks,
 * the debugger's old versions, inspection), not linked: most runs of hotld
 * never read any (each reload's client, a start without a debugger), and
 * a shared library in the executable's list costs every run its loading.
 *
 * Files of hotld include this header, not <libdwarf.h>. Each libdwarf
 * function they call is named by a macro that goes through a pointer
 * dlsym found, with the type the header declares. dwarf_open_bytes
 * (dwarfopen.c) loads the library; every other call needs a Dwarf_Debug
 * that it opened. */
#ifndef HOTLD_DWARFLIB_H
#define HOTLD_DWARFLIB_H

#include <dwarf.h>
#include <libdwarf.h>
#include <stdbool.h>

#define DWARFLIB_FUNCTIONS(X)                                                                              \
    X(dwarf_attr) X(dwarf_attr_offset) X(dwarf_child) X(dwarf_dealloc) X(dwarf_dealloc_attribute)          \
    X(dwarf_dealloc_die) X(dwarf_dealloc_error) X(dwarf_diename) X(dwarf_dieoffset) X(dwarf_finish)        \
    X(dwarf_formexprloc) X(dwarf_formsdata) X(dwarf_formstring) X(dwarf_formudata) X(dwarf_global_formref) \
    X(dwarf_hasattr) X(dwarf_init_b) X(dwarf_line_srcfileno) X(dwarf_lineaddr) X(dwarf_lineendsequence)    \
    X(dwarf_lineno) X(dwarf_next_cu_header_d) X(dwarf_offdie_b) X(dwarf_siblingof_b) X(dwarf_srcfiles)    \
    X(dwarf_srclines_b) X(dwarf_srclines_dealloc_b) X(dwarf_srclines_files_data_b)                         \
    X(dwarf_srclines_from_linecontext) X(dwarf_srclines_include_dir_data) X(dwarf_tag)

struct dwarflib {
#define DWARFLIB_POINTER(name) __typeof__(name) *name;
    DWARFLIB_FUNCTIONS(DWARFLIB_POINTER)
#undef DWARFLIB_POINTER
};

/* Load libdwarf once, from any thread: false (the reason recorded with
 * fail(), and said once as a warning) if it cannot be. */
bool dwarflib_load(void);
extern struct dwarflib dwarflib;

#ifndef DWARFLIB_NO_MACROS /* dwarflib.c names the functions themselves */
#define dwarf_attr (dwarflib.dwarf_attr)
#define dwarf_attr_offset (dwarflib.dwarf_attr_offset)
#define dwarf_child (dwarflib.dwarf_child)
#define dwarf_dealloc (dwarflib.dwarf_dealloc)
#define dwarf_dealloc_attribute (dwarflib.dwarf_dealloc_attribute)
#define dwarf_dealloc_die (dwarflib.dwarf_dealloc_die)
#define dwarf_dealloc_error (dwarflib.dwarf_dealloc_error)
#define dwarf_diename (dwarflib.dwarf_diename)
#define dwarf_dieoffset (dwarflib.dwarf_dieoffset)
#define dwarf_finish (dwarflib.dwarf_finish)
#define dwarf_formexprloc (dwarflib.dwarf_formexprloc)
#define dwarf_formsdata (dwarflib.dwarf_formsdata)
#define dwarf_formstring (dwarflib.dwarf_formstring)
#define dwarf_formudata (dwarflib.dwarf_formudata)
#define dwarf_global_formref (dwarflib.dwarf_global_formref)
#define dwarf_hasattr (dwarflib.dwarf_hasattr)
#define dwarf_init_b (dwarflib.dwarf_init_b)
#define dwarf_line_srcfileno (dwarflib.dwarf_line_srcfileno)
#define dwarf_lineaddr (dwarflib.dwarf_lineaddr)
#define dwarf_lineendsequence (dwarflib.dwarf_lineendsequence)
#define dwarf_lineno (dwarflib.dwarf_lineno)
#define dwarf_next_cu_header_d (dwarflib.dwarf_next_cu_header_d)
#define dwarf_offdie_b (dwarflib.dwarf_offdie_b)
#define dwarf_siblingof_b (dwarflib.dwarf_siblingof_b)
#define dwarf_srcfiles (dwarflib.dwarf_srcfiles)
#define dwarf_srclines_b (dwarflib.dwarf_srclines_b)
#define dwarf_srclines_dealloc_b (dwarflib.dwarf_srclines_dealloc_b)
#define dwarf_srclines_files_data_b (dwarflib.dwarf_srclines_files_data_b)
#define dwarf_srclines_from_linecontext (dwarflib.dwarf_srclines_from_linecontext)
#define dwarf_srclines_include_dir_data (dwarflib.dwarf_srclines_include_dir_data)
#define dwarf_tag (dwarflib.dwarf_tag)
#endif

#endif
