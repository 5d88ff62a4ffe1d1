/* Added by a reload: its constructor runs once, then extra_value() answers. */
#include "../rt.h"
static int constructed;
__attribute__((constructor)) static void init_c(void) { constructed++; }
RELOADABLE int extra_value(void) { return 4000 + constructed; }
