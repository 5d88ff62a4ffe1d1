/* valgrind runs translations of the code it has seen, and looks for
 * changes only in code that is not mapped from a file (its default
 * --smc-check=all-non-file). The image is mapped from a file when
 * valgrind watches (gdb/imagefile.c), so every rewrite of its code is
 * told, through valgrind's client request: natively, a few instructions
 * that do nothing. */
#include "valgrind.h"

#include <valgrind/valgrind.h>

void valgrind_code_changed(uintptr_t addr, size_t len)
{
    VALGRIND_DISCARD_TRANSLATIONS(addr, len);
}
