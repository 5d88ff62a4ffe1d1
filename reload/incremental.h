/* Incremental links, for reloads: the hooks through which a reload's link
 * consults the running program (see struct link_hooks). */
#ifndef HOTLD_INCREMENTAL_H
#define HOTLD_INCREMENTAL_H

#include "linker.h"

extern const struct link_hooks incremental_hooks;
/* A failed reload's link: the objects it marked replaced are not. */
void incremental_forget_superseded(struct link *ld);

#endif
