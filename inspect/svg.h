/* Inside inspect/: what sizes.c, refs.c and svg.c share. A listing and a
 * drawing of the same question are made from one set of records:
 *
 *   sizes.c   size_report: the objects' bytes by kind and their symbols
 *   refs.c    ref_report: the definitions of a symbol and their edges
 *   svg.c     the drawings, and the escaping every document needs */
#ifndef HOTLD_INSPECT_SVG_H
#define HOTLD_INSPECT_SVG_H

#include <stdbool.h>
#include <stdint.h>

#include "linker.h"
#include "strbuf.h"
#include "text.h"

/* What a byte of an object is: by its section, and a symbol's type. */
enum size_kind { KIND_FUNCTION, KIND_DATA, KIND_RODATA, KIND_BSS, KIND_TLS, NKINDS };
extern const char *const kind_names[NKINDS];   /* "function", "data", ... */
/* An object's totals by kind, named as size(1) does: "text", "data", ... */
extern const char *const kind_total_names[NKINDS];

/* sizes.c */

/* A symbol, or the bytes of a section that no symbol covers (string
 * literals, jump tables, unwind tables), named "[.rodata.str1.1]". */
struct size_item {
    char *name;                 /* as the source spells it (demangled) */
    const char *symbol;         /* the ELF symbol, when name differs */
    const char *object;
    uint64_t size;
    enum size_kind kind;
    bool unnamed;               /* the rest of a section, not a symbol */
};

struct object_size {
    const struct object *obj;
    const char *label;          /* its name from the objects' shared directory */
    const char *short_name;     /* its path's last components, as few as tell
                                   it from the others ("vec.o", "b/util.o") */
    uint64_t total, by_kind[NKINDS];
    struct size_item *items;    /* largest first */
    size_t nitems, capitems;
};

struct size_report {
    struct object_size *objs;   /* largest first; objects of no bytes too */
    size_t nobjs;
    uint64_t total;
    size_t root;                /* objects_root of the objects */
};

void sizes_collect(struct object *const *objs, size_t n, struct size_report *r);
void sizes_free(struct size_report *r);

enum size_kind symbol_kind(const struct symbol *s);
/* sec is loaded: not a COMDAT copy kept elsewhere, not build notes. */
bool counted_section(const struct section *sec);
/* sec is one of obj's own sections, not one the linker made for commons. */
bool own_section(const struct object *obj, const struct section *sec);
/* s is a named function or variable that obj defines and loads. */
bool defined_in(const struct symbol *s, const struct object *obj);

/* The symbols of obj that have bytes in its loaded sections, by place:
 * section index, then start, the larger of nested ones first, of aliases
 * the one a reader knows best (global, then weak) last. */
struct placed {
    const struct symbol *sym;
    uint32_t sec;               /* index in obj->secs */
    uint64_t start, end;        /* offsets in the section, within its size */
    uint64_t reach;             /* the largest end of this and the entries
                                   before it in the section */
};
struct placed *placed_symbols(const struct object *obj, size_t *n); /* to free */

/* refs.c */

enum ref_kind { REF_CALL, REF_DATA };

/* One end of a reference: a symbol, or a place no symbol covers (a section;
 * with at, an offset in it). */
struct ref_node {
    const struct symbol *sym;
    const struct section *sec;
    uint64_t off;
    bool at;
};

/* References between a definition and one other node, by kind. */
struct ref_edge {
    struct ref_node node;
    char *name;                 /* "update_world", "game.o:.rodata+0x40" */
    const char *object;         /* where it is defined; NULL: not in these objects */
    enum ref_kind kind;
    size_t count;               /* relocations */
};

struct ref_def {
    const struct symbol *sym;
    char *name;                 /* sym's name as the source spells it */
    const struct object *obj;
    const char *label;          /* obj's name from the objects' shared directory */
    struct ref_edge *in, *out;  /* referenced by, references: calls first */
    size_t nin, capin, nout, capout;
};

struct ref_report {
    struct ref_def *defs;
    size_t ndefs, capdefs;
    size_t root;                /* objects_root of the objects */
};

extern const char *const ref_kind_names[2];    /* "call", "data" */
extern const char *const ref_kind_colors[2];
extern const char refs_note[];
/* Returns -1 with fail() if no object defines symbol. */
int refs_collect(struct object *const *objs, size_t n, const char *symbol, struct ref_report *r);
void refs_free(struct ref_report *r);
/* Where e's other end is defined, for a reader: "(undefined)" if nowhere. */
const char *edge_where(const struct ref_edge *e);

#endif
