/* The program finds itself (findself.c): dladdr and kin ask the finder
 * registered here first. */
#ifndef HOTLD_FINDSELF_H
#define HOTLD_FINDSELF_H

#include <dlfcn.h>
#include <link.h>
#include <stdbool.h>

/* Fill info for addr and return true if it is an address the finder
 * answers for (the program's), else false. */
typedef bool findself_fn(const void *addr, Dl_info *info);
void findself_register(findself_fn *fn);

/* Call callback for each module of the program's own that ld.so does not
 * know, as dl_iterate_phdr does, with ld.so's counts adds and subs; stop
 * at and return a non-zero result. */
typedef int findself_modules_fn(int (*callback)(struct dl_phdr_info *, size_t, void *), void *data,
                                unsigned long long adds, unsigned long long subs);
void findself_register_modules(findself_modules_fn *fn);

#endif
