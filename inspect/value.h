/* Values of the running program as hotld --print shows them: read from
 * memory without trusting it (a wild pointer gives an error, never a
 * crash), and formatted by their DWARF type as C-like text or JSON. */
#ifndef HOTLD_VALUE_H
#define HOTLD_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctypes.h"
#include "strbuf.h"

/* Copy n bytes at addr of this process; false if any is unreadable. */
bool memory_read(uintptr_t addr, void *buf, size_t n);
/* Write them; false if any is unwritable (read-only data, no mapping). */
bool memory_write(uintptr_t addr, const void *buf, size_t n);

/* An integer (or bool, enum, char) of size bytes at p, widened. */
int64_t scalar_signed(const uint8_t *p, size_t size);
uint64_t scalar_unsigned(const uint8_t *p, size_t size);
/* A bit-field's value from its storage bytes. */
uint64_t bits_extract(const uint8_t *p, uint64_t bit_pos, uint64_t bit_size, bool is_signed);

/* Names an address for the reader ("update_world", "players+16"), or
 * leaves sb alone; given by the caller, who knows the symbols. */
typedef void (*name_address_fn)(uintptr_t addr, struct strbuf *sb, void *ctx);

struct format {
    bool json;
    name_address_fn name_address;
    void *ctx;
};

/* The value of type t stored at bytes (size t->size; addr is where it
 * lives, 0 for a value that is not in memory). */
void value_format(const struct format *f, const struct ctype *t, const uint8_t *bytes, uintptr_t addr,
                  struct strbuf *out);
/* A JSON string literal of n bytes. */
void json_string(struct strbuf *out, const char *s, size_t n);

#endif
