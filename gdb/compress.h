/* A debug image with its DWARF compressed (see compress.c). */
#ifndef HOTLD_GDB_COMPRESS_H
#define HOTLD_GDB_COMPRESS_H

#include <stddef.h>

/* A copy of the ELF image of size bytes whose .debug_* sections are
 * zlib-compressed (SHF_COMPRESSED), in *out_size bytes; NULL if it would
 * not be smaller by an eighth or more, or the image is not one of ours. */
void *elfimage_compress(const void *image, size_t size, size_t *out_size);

#endif
