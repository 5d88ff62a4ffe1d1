/* Version 1 uses libx.a's m1; version 2 also needs m3, a member that
 * version 1 of the archive does not have. */
#include "../rt.h"

int m1_value(void);
#if VER >= 2
int m3_value(void);
#endif

RELOADABLE int a_value(void)
{
#if VER >= 2
    return m1_value() + m3_value();
#else
    return m1_value();
#endif
}
