/* A reloaded function keeps its first address as &f (funcaddr.c). */
#ifndef HOTLD_FUNCADDR_H
#define HOTLD_FUNCADDR_H

#include "linker.h"

void funcaddr_keep(struct link *live, struct object *first, struct object *new);
/* Before the new image is protected (link_protect): its code is written. */
void funcaddr_rewrite_local_refs(struct object *new);

#endif
