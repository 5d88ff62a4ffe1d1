/* Content hashes of input files: reloads compare contents, not mtimes. */
#ifndef HOTLD_HASH_H
#define HOTLD_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t hash_bytes(const void *data, size_t size);

#endif
