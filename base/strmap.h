/* A string-keyed hash map (open addressing, linear probing). Keys are not
 * copied: they must outlive the map, which holds for names that point into
 * loaded ELF string tables. */
#ifndef HOTLD_STRMAP_H
#define HOTLD_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
    const char *key;
    uint32_t hash;
    void *value;
};

struct strmap {
    struct strmap_slot *slots;
    size_t cap, len;
};

uint32_t strmap_hash(const char *key);
void *strmap_get(const struct strmap *m, const char *key);
/* Returns the slot for key, inserting it with value NULL if missing. */
struct strmap_slot *strmap_slot(struct strmap *m, const char *key);
/* Room for n more keys at once: one allocation, where growing key by key
 * would free every smaller table on the way. */
void strmap_reserve(struct strmap *m, size_t n);
void strmap_free(struct strmap *m);
/* For a map whose keys were xstrdup'd for it: frees them too. */
void strmap_free_owning_keys(struct strmap *m);

#endif
