/* Canonical paths in a few system calls, whatever their depth. */
#ifndef HOTLD_REALPATH_H
#define HOTLD_REALPATH_H

/* realpath(3)'s answer for an existing file or directory (xfree it), or
 * NULL. */
char *path_real(const char *path);

#endif
