/* libdwarf, linked into hotld (the Makefile's build/libdwarf.a): a session
 * used to dlopen it before its first link, which cost every start 0.4 ms,
 * and under gdb, which reads the symbols of each library a dlopen brings,
 * about 40 ms.
 *
 * Files of hotld include this header, not <libdwarf.h>, and ask
 * dwarflib_load before their first call (dwarf_open_bytes does). */
#ifndef HOTLD_DWARFLIB_H
#define HOTLD_DWARFLIB_H

#include <dwarf.h>
#include <libdwarf.h>
#include <stdbool.h>

/* Ready libdwarf once, from any thread: false (the reason recorded with
 * fail(), and said once as a warning) if DWARF cannot be read, which a
 * test makes happen (HOTLD_FAIL_LIBDWARF=1) to check that a reload
 * without types fails cleanly. */
bool dwarflib_load(void);

#endif
