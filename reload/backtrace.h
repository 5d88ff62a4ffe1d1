/* Where code addresses are, for crash reports: the object and version,
 * the function, and the source line. */
#ifndef HOTLD_BACKTRACE_H
#define HOTLD_BACKTRACE_H

#include <stdint.h>

#include "lines.h"
#include "program.h"
#include "strbuf.h"

struct code_place {
    const struct object *obj;   /* the loaded object that holds pc, or NULL */
    unsigned version;           /* the reload that loaded it, 0 at start */
    const char *library;        /* else the shared library, if any */
    char function[160];         /* "" if unknown */
    uint64_t offset;            /* from the function's start */
    uintptr_t at;               /* the address looked up */
    struct source_line src;     /* file "" if unknown */
};

/* The object of any generation whose code holds pc, and that generation;
 * NULL if none. Reads the records only: no allocation, no lock. */
const struct object *object_at(const struct program *pg, uintptr_t pc, unsigned *version);
/* Where pc is, but for its source line. A return address (every frame
 * but the first) is looked up one byte back, inside the call. Safe in a
 * signal handler: no allocation, and no lock but dladdr's (recursive). */
void code_place_of(const struct program *pg, uintptr_t pc, bool return_address, struct code_place *out);
/* The place's source line, from its generation's line tables (libdwarf,
 * which allocates). */
void code_line_of(const struct program *pg, struct code_place *place);
/* "#N 0x... update_world+0x1c at physics.c:12 (physics.o, version 2)",
 * one line per frame. */
void backtrace_text(const struct program *pg, const uintptr_t *pcs, size_t n, struct strbuf *out);
/* The same lines without source lines, written to fd as they are made:
 * for a crash handler, where nothing may allocate. */
void backtrace_write(const struct program *pg, const uintptr_t *pcs, size_t n, int fd);

#endif
