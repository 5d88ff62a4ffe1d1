/* C types read from an object's DWARF, as plain data: what hotld --print
 * needs to show a value and hotld --call to pass one. Typedefs and
 * qualifiers are looked through (the name keeps the typedef's spelling);
 * a multi-dimensional array is an array of arrays. */
#ifndef HOTLD_CTYPES_H
#define HOTLD_CTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Dwarf_Debug_s;
struct ctypes;

enum ctype_kind {
    CT_VOID, CT_BOOL, CT_SIGNED, CT_UNSIGNED, CT_FLOAT, CT_POINTER, CT_ARRAY,
    CT_STRUCT, CT_UNION, CT_ENUM, CT_FUNCTION,
    CT_UNKNOWN, /* something C has no value syntax for (a C++ reference...) */
};

struct ctype_member {
    const char *name;           /* "" for an anonymous struct or union */
    const struct ctype *type;
    uint64_t offset;            /* bytes from the start */
    uint64_t bit_pos, bit_size; /* a bit-field: bits from the start; else 0 */
};

struct ctype_enumerator {
    const char *name;
    int64_t value;
};

struct ctype {
    enum ctype_kind kind;
    char *name;                 /* as C spells it: "int", "struct point *" */
    uint64_t size;
    bool is_char;               /* char, signed char, unsigned char */
    const struct ctype *target; /* pointee, element, or return type */
    uint64_t count;             /* array elements; 0 if unknown ([]) */
    struct ctype_member *members;
    size_t nmembers;
    struct ctype_enumerator *enumerators;
    size_t nenumerators;
    const struct ctype **params;
    size_t nparams;
    bool variadic;
    uint64_t die;               /* where it was read, for the cache */
};

struct ctypes *ctypes_new(struct Dwarf_Debug_s *dbg);
void ctypes_free(struct ctypes *t);
/* The type at a DIE offset (NULL: void); never NULL. */
const struct ctype *ctype_at(struct ctypes *t, uint64_t die);
/* A function's type from its DW_TAG_subprogram (or its declaration's). */
const struct ctype *ctype_function(struct ctypes *t, uint64_t subprogram);
/* Find an enumerator by name among an enum's; false if none. */
bool ctype_enumerator(const struct ctype *enum_type, const char *name, int64_t *value);

#endif
