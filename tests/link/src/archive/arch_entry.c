#include <stdio.h>
int arch_helper(int x);     /* only arch_entry.o needs arch_helper.o */
const char *arch_entry(int x)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "arch_entry(%d) -> helper %d", x, arch_helper(x));
    return buf;
}
