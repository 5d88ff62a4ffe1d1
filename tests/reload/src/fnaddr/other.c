/* Built -fno-pie; VER is the edit. */
#include <stdio.h>

int (*other_get(void))(const char *) { return VER > 0 ? puts : NULL; }
int other_version(void) { return VER; }
