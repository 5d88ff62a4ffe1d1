#include "hash.h"

#include <string.h>

/* FNV-1a over 8-byte words, then a final avalanche (from splitmix64):
 * fast enough for multi-megabyte archives, and collisions between two
 * builds of one object are not a practical concern. */
uint64_t hash_bytes(const void *data, size_t size)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull ^ size;
    for (; size >= 8; p += 8, size -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x100000001b3ull;
    }
    for (; size; p++, size--)
        h = (h ^ *p) * 0x100000001b3ull;
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}
