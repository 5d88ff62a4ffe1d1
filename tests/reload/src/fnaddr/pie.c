/* Built as PIE: takes puts's address through the GOT. VER is the edit. */
#include <stdio.h>

int (*pie_get(void))(const char *) { return VER > 0 ? puts : NULL; }
int pie_version(void) { return VER; }
