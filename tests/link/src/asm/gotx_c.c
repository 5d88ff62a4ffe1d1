/* Compiled with gcc -fPIC -fno-plt -Wa,-mrelax-relocations=yes: extern data
 * and calls go through the GOT with GOTPCRELX/REX_GOTPCRELX. */
#include <stdlib.h>
#include "asmtest.h"

int gotx_c_bump(void) { c_counter += 3; return target_fn(c_counter); }
char *gotx_c_addr(void) { return target_data; }
FILE *gotx_c_stdout(void) { return stdout; }
long gotx_c_labs(long x) { return labs(x); }
int (*gotx_c_fnptr(void))(int) { return target_fn; }
