/* The program finds itself (findself.c): dladdr and kin ask the finder
 * registered here first. */
#ifndef HOTLD_FINDSELF_H
#define HOTLD_FINDSELF_H

#include <dlfcn.h>
#include <stdbool.h>

/* Fill info for addr and return true if it is an address the finder
 * answers for (the program's), else false. */
typedef bool findself_fn(const void *addr, Dl_info *info);
void findself_register(findself_fn *fn);

#endif
