/* Source lines of code addresses, for crash reports. */
#ifndef HOTLD_LINES_H
#define HOTLD_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct source_line {
    char file[256];
    unsigned line;
};

/* The file and line of pc in a relocated ELF+DWARF image of size bytes
 * (a generation's debug image); false if its line tables do not say. */
bool source_line_of(const void *image, size_t size, uint64_t pc, struct source_line *out);

#endif
