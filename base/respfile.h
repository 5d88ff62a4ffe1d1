/* @FILE arguments: a file of more arguments, as gcc and GNU ld read them
 * (see respfile.c). */
#ifndef HOTLD_BASE_RESPFILE_H
#define HOTLD_BASE_RESPFILE_H

/* argv with every "@FILE" replaced by the arguments FILE holds, nested
 * files too, up to a "--"; a "@FILE" that cannot be read stays as it is
 * (as gcc keeps it). The new vector (NULL-terminated) is hotld's for good. -1 on a
 * file nested too deep, said with fail(). */
int respfile_expand(int *argc, char ***argv);

#endif
