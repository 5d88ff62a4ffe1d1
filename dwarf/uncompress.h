/* Debug sections as gcc -gz writes them: SHF_COMPRESSED, an Elf64_Chdr
 * and a zlib stream. */
#ifndef HOTLD_UNCOMPRESS_H
#define HOTLD_UNCOMPRESS_H

#include <stdint.h>

#include <gelf.h>

/* The n bytes of a compressed section as they are in the file,
 * uncompressed into a new buffer (xfree it), *size bytes; NULL if they do
 * not uncompress to the size their header says. */
uint8_t *section_uncompressed(const void *raw, uint64_t n, uint64_t *size);
/* A section's bytes, uncompressed if they are, in a new buffer (xfree
 * it); NULL if they cannot be read. */
uint8_t *section_copy(Elf_Scn *scn, uint64_t *size);

#endif
