/* What the host exports to its plugin. VER 2 changes host_scale and adds
 * host_added; VER 3 widens settings, which migrates to new storage (the
 * plugin's GOT slot for it must follow); VER 4 removes host_gone, which
 * the plugin still calls. */
#include "rt.h"

#if VER == 3
long settings = 10;
#else
int settings = 10;
#endif

RELOADABLE int host_scale(int x) { return x * (VER == 1 ? 2 : 3); }
RELOADABLE int host_read(void) { return (int)settings; }
#if VER >= 2
RELOADABLE int host_added(void) { return 5; }
#endif
#if VER != 4
RELOADABLE int host_gone(void) { return 7; }
#endif
