/* Called in a loop by 4 threads while reloads happen. mod_calls counts the
 * calls of every version (its state must survive the reloads). */
#include "rt.h"

long mod_calls = 0;

int mod_work(void)
{
    __atomic_add_fetch(&mod_calls, 1, __ATOMIC_RELAXED);
    return VER;
}

long mod_call_count(void)
{
    return __atomic_load_n(&mod_calls, __ATOMIC_RELAXED);
}
