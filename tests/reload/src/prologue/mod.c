/* The reloaded object. clang -O2 makes run()'s prologue "push %rax; call
 * *%rdi": the call returns to run+3, inside the five bytes a reload
 * overwrites with a jump to the new version. */
#include "rt.h"

RELOADABLE int run(void (*g)(void))
{
    g();
    return opaque_int(VER);
}
