#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Eight bytes a step: a C++ link hashes megabytes of mangled names, and
 * a byte-at-a-time hash (FNV-1a) was a tenth of its read pass. Each word
 * is multiplied in, its high bits folded down; murmur3's finalizer then
 * spreads every bit into the low ones that pick the slot. The tail is
 * gathered byte by byte: a memcpy of a variable length is a call, which
 * made short C names cost 2.5x FNV's (now 1.3x; mangled names 5x less). */
uint32_t strmap_hash(const char *key)
{
    const uint64_t k = 0xff51afd7ed558ccdULL;
    size_t n = strlen(key);
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
    for (; n >= 8; n -= 8, key += 8) {
        memcpy(&w, key, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    for (w = 0; n; n--)
        w = w << 8 | (unsigned char)key[n - 1];
    h = (h ^ w) * k;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (uint32_t)h;
}

static struct strmap_slot *find(const struct strmap *m, const char *key, uint32_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
            return s;
    }
}

void *strmap_get(const struct strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    struct strmap_slot *s = find(m, key, strmap_hash(key));
    return s->key ? s->value : NULL;
}

static void rehash_to(struct strmap *m, size_t cap)
{
    struct strmap old = *m;
    m->cap = cap;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            *find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
    xfree(old.slots);
}

static void rehash(struct strmap *m)
{
    rehash_to(m, m->cap ? m->cap * 2 : 64);
}

void strmap_reserve(struct strmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 64;
    while ((m->len + n + 1) * 4 >= cap * 3)
        cap *= 2;
    if (cap != m->cap)
        rehash_to(m, cap);
}

/* Looking up a key that is present never allocates (the reload's commit,
 * with the program's threads parked, relies on it). */
struct strmap_slot *strmap_slot(struct strmap *m, const char *key)
{
    uint32_t h = strmap_hash(key);
    struct strmap_slot *s = m->cap ? find(m, key, h) : NULL;
    if (s && s->key)
        return s;
    if ((m->len + 1) * 4 >= m->cap * 3) {
        rehash(m);
        s = find(m, key, h);
    }
    if (!s->key) {
        s->key = key;
        s->hash = h;
        s->value = NULL;
        m->len++;
    }
    return s;
}

void strmap_free(struct strmap *m)
{
    xfree(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}

void strmap_free_owning_keys(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        xfree((char *)m->slots[i].key);
    strmap_free(m);
}
