/* What valgrind must be told about the program's code (see valgrind.c). */
#ifndef HOTLD_BASE_VALGRIND_H
#define HOTLD_BASE_VALGRIND_H

#include <stddef.h>
#include <stdint.h>

/* hotld rewrote [addr, addr + len) of the program's code. */
void valgrind_code_changed(uintptr_t addr, size_t len);

#endif
