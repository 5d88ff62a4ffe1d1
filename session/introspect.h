/* hotld_lookup and hotld_symbols for the program (introspect.c). */
#ifndef HOTLD_INTROSPECT_H
#define HOTLD_INTROSPECT_H

#include "program.h"

/* Make them the host symbols __hotld_lookup and __hotld_symbols. */
void introspect_define(struct program *pg);

#endif
