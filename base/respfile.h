/* @FILE arguments: a file of more arguments, as gcc and GNU ld read them
 * (see respfile.c). */
#ifndef HOTLD_BASE_RESPFILE_H
#define HOTLD_BASE_RESPFILE_H

#include <stddef.h>

/* argv with every "@FILE" replaced by the arguments FILE holds, nested
 * files too, up to a "--"; a "@FILE" that cannot be read stays as it is
 * (as gcc keeps it). The new vector (NULL-terminated) is hotld's for good. -1 on a
 * file nested too deep, said with fail(). */
int respfile_expand(int *argc, char ***argv);

/* The words of text, split as a response file's are (and as a shell
 * splits a plain command line): a NULL-terminated vector of *n words. */
char **respfile_split(const char *text, size_t *n);

#endif
