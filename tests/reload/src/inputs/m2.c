/* Never needed: must never be pulled. */
#include "../rt.h"
int m2_unused = 5;
RELOADABLE int m2_value(void) { return 2; }
