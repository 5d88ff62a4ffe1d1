/* value() with locals, for --deopt: at -O2 gdb sees them optimized out;
 * at -O0 it steps each line and prints each. */
#include "shared.h"

int value(void)
{
    int base = shared();
    int scaled = base * 3;
    int result = scaled - base + 1;
    return result;
}
