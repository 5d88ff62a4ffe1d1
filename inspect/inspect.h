/* The program's image as data, for the user (hotld --sizes, --refs,
 * --print, --call, --repl):
 *
 *   sizes.c   functions and data by size, per object, as text or JSON
 *   refs.c    who references a symbol and what it references, from the
 *             objects' relocations
 *   svg.c     a treemap of the sizes and a graph of the references
 *
 * They read the linker's records of the objects (loader/linker.h) and
 * produce documents in memory: the session answers a client with them,
 * and the client writes any file with its own credentials. */
#ifndef HOTLD_INSPECT_H
#define HOTLD_INSPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "linker.h"
#include "strbuf.h"

/* How a listing is printed. */
struct inspect_options {
    bool json;          /* one JSON document instead of text */
    size_t top;         /* --sizes: only the N largest symbols overall; 0: all */
};

/* Functions and data of objs by size. The text lists each object, largest
 * first, with its symbols largest first; with top, one table of the N
 * largest symbols with their objects. */
void inspect_sizes(struct object *const *objs, size_t n, const struct inspect_options *o,
                   struct strbuf *out);
/* An SVG treemap of the same: objects, and their symbols within. */
void inspect_sizes_svg(struct object *const *objs, size_t n, struct strbuf *svg);

/* What references symbol (a name; "obj.o:name" for a local of one object)
 * and what it references. Returns -1 with fail() if no object defines it. */
int inspect_refs(struct object *const *objs, size_t n, const char *symbol,
                 const struct inspect_options *o, struct strbuf *out);
/* The same as a graph: Graphviz DOT, or a drawn SVG. */
int inspect_refs_dot(struct object *const *objs, size_t n, const char *symbol, struct strbuf *dot);
int inspect_refs_svg(struct object *const *objs, size_t n, const char *symbol, struct strbuf *svg);

#endif
