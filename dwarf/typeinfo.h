/* DWARF type information of a relocatable object, read with libdwarf, for
 * carrying variables across a reload:
 *
 *   debuginfo.c  open an object's DWARF; find each variable's type, tied
 *                to its storage through the .rela.debug_info (DW_OP_addr,
 *                gcc) or .rela.debug_addr (DW_OP_addrx, clang) record
 *   typematch.c  compare an old and a new type structurally: identical,
 *                migratable with a copy plan, or incompatible with a reason
 *   typeprint.c  show the two side by side, for the user to decide
 *   die.c        the libdwarf accessors they share
 *
 * It builds against libdwarf 20210528 (Debian 12) and 0.x. */
#ifndef HOTLD_TYPEINFO_H
#define HOTLD_TYPEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gelf.h>

struct debug_info;
struct Dwarf_Debug_s;

/* The variable stored at offset `offset` of section `section` (an ELF
 * section index of the object; for a common symbol, SHN_COMMON and its
 * symbol index), with the DIE offset of its type. */
struct debug_var {
    uint32_t section;
    uint64_t offset;
    uint64_t type;
    const char *name;
    char *key;                  /* external: the name; else with its scope,
                                   "file.c:name", "file.c:function{1}:name" */
    char *in_unit;              /* not external: the key past the unit's file
                                   name (":name", ":function{1}:name"),
                                   for an object rebuilt from a renamed file */
    bool constant;              /* const-qualified (an array: its elements) */
};

/* Where a variable's storage is, as struct debug_var says it. */
struct debug_place {
    uint32_t section;
    uint64_t offset;
};

/* A function defined in the object, by its symbol's name (C++: mangled),
 * with the offset of its DW_TAG_subprogram. */
struct debug_func {
    const char *name;
    uint64_t die;
};

/* A struct, class or union whose layout the object defines. */
struct debug_type {
    char *key;                  /* with its scope: "file.c::ns::Name" */
    char *name;                 /* as the source spells it: "ns::Name" */
    const char *kind;           /* "struct", "class", "union" */
    uint64_t die;
    uint64_t size;
    bool pointed_to;            /* a pointer or reference type leads to
                                   it: objects of it may be anywhere */
};

/* The DWARF of the relocatable object whose ELF bytes these are; NULL if
 * it has none (not built with -g) or libdwarf cannot read it. Split DWARF
 * is read from the .dwo file the object names, also looked for beside
 * path, the object's file (NULL: not). */
struct debug_info *debug_info_open(const char *bytes, size_t size, const char *path);
void debug_info_close(struct debug_info *di);
/* The variable whose storage starts at sec's offset `offset`, if any. */
const struct debug_var *debug_var_at(const struct debug_info *di, uint32_t sec, uint64_t offset);
/* Is it a skeleton (-gsplit-dwarf) whose .dwo file, which has the rest,
 * could not be read, or was rebuilt since the object was? */
bool debug_info_is_split(const struct debug_info *di);
/* Does it describe variables, and none with a type (gcc -g1)? */
bool debug_info_types_no_variable(const struct debug_info *di);
/* Is there a variable DIE for that storage whose type was not read (gcc
 * -g1 gives none; a form this reader does not follow)? */
bool debug_var_untyped_at(const struct debug_info *di, uint32_t sec, uint64_t offset);
/* Every variable found, in DWARF order. */
const struct debug_var *debug_vars(const struct debug_info *di, size_t *n);
/* Every struct, class and union it defines, in DWARF order. */
const struct debug_type *debug_types(const struct debug_info *di, size_t *n);
/* The function of that symbol name defined in the object, if any. */
const struct debug_func *debug_func_named(const struct debug_info *di, const char *name);
/* libdwarf's handle, for typematch.c and ctype.c. */
struct Dwarf_Debug_s *debug_info_dbg(const struct debug_info *di);

/* How to carry one old value into the new storage: one leaf (a scalar, or
 * a run of identical bytes). */
enum copy_kind {
    COPY_BYTES,     /* the same representation: copy size bytes */
    COPY_SIGNED,    /* a signed integer widened from from_size bytes */
    COPY_UNSIGNED,  /* an unsigned integer (or bool, char) widened */
    COPY_FLOAT,     /* float to double */
    COPY_ENUM,      /* an enum value, renumbered by enumerator name */
    COPY_BITS_SIGNED,   /* a bit-field: sizes in bits, from_bit/to_bit */
    COPY_BITS_UNSIGNED,
};

struct copy_op {
    uint64_t from, to;          /* offsets in the old and the new variable */
    uint32_t from_size, to_size;
    enum copy_kind kind;
    uint32_t map;               /* COPY_ENUM: index in the plan's maps */
    uint8_t from_bit, to_bit;   /* COPY_BITS_*: first bit within from, to */
};

/* A renumbered enum: pairs of old value (from) and new value (to). */
struct enum_map {
    struct copy_op *pairs;
    size_t n, cap;
};

enum type_verdict { TYPES_IDENTICAL, TYPES_MIGRATABLE, TYPES_INCOMPATIBLE };

struct type_plan {
    enum type_verdict verdict;
    struct copy_op *ops;        /* MIGRATABLE: what to copy, in order */
    size_t nops, capops;
    struct copy_op *dropped;    /* old bytes with no place in the new type
                                   (removed fields, a shrunk array's tail):
                                   from and from_size */
    size_t ndropped, capdropped;
    struct enum_map *maps;      /* COPY_ENUM's value maps */
    size_t nmaps, capmaps;
    struct copy_op *anchors;    /* where each struct, element and member
                                   begins, old -> new (from, to), outermost
                                   first: where a pointer to it must go */
    size_t nanchors, capanchors;
    bool may_lose;              /* some value may have no exact place
                                   (narrowing, dropped bytes, an enumerator
                                   gone): what type_plan_loss checks */
    char *changes;              /* MIGRATABLE: what changed, for the report */
    char *why;                  /* INCOMPATIBLE: the reason */
};

void typematch(const struct debug_info *old, uint64_t old_type, const struct debug_info *new,
               uint64_t new_type, struct type_plan *plan);
void type_plan_free(struct type_plan *plan);
/* typeprint.c: both types in two columns, differences marked (several
 * lines, each starting with a newline). */
char *type_side_by_side(const struct debug_info *old, uint64_t old_type, const struct debug_info *new,
                        uint64_t new_type);
/* Does every copy stay inside variables of these sizes? DWARF comes from
 * the objects: a plan that would not is refused, not applied. */
bool type_plan_within(const struct type_plan *plan, uint64_t old_size, uint64_t new_size);
/* Carry a value from old to new storage by the plan. Narrowed integers
 * keep their low bytes. */
void type_plan_apply(const struct type_plan *plan, const void *old, void *new);
/* Where the old value's byte at offset off is in the new value: false if
 * it has no place, or is inside a scalar that changed representation. */
bool type_plan_offset(const struct type_plan *plan, uint64_t off, uint64_t *out);
/* Would carrying this old value lose data: a dropped byte that is not
 * zero, a narrowed integer that does not fit? NULL, or what is lost. */
char *type_plan_loss(const struct type_plan *plan, const void *old);

#endif
