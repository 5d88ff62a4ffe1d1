/* LeakSanitizer's view of hotld and the image (leaks.c). */
#ifndef HOTLD_LEAKS_H
#define HOTLD_LEAKS_H

#include <stddef.h>

/* Allocations of this thread between these two are hotld's own. */
void leaks_not_the_programs_begin(void);
void leaks_not_the_programs_end(void);
/* Pointers in [start, start + size) keep blocks alive (an image). */
void leaks_scan_for_roots(const void *start, size_t size);

#endif
