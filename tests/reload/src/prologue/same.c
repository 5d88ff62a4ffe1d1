/* The reloaded object whose run() is the same code in both versions:
 * only version() changes. clang -O2 makes run()'s prologue "push %rax;
 * call *%rdi", so a thread waiting in g returns to run+3, inside the jump
 * a reload writes at run's entry. */
#include "rt.h"

RELOADABLE int version(void)
{
    return opaque_int(VER);
}

RELOADABLE int run(void (*g)(void))
{
    g();
    return version();
}
