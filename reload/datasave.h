/* The variables of the objects a reload replaces, as they were then:
 * what a rollback of that reload puts back (datasave.c). */
#ifndef HOTLD_DATASAVE_H
#define HOTLD_DATASAVE_H

#include "databind.h"

struct saved_var {
    const char *object;         /* the replaced version's name */
    size_t sym;                 /* its ELF symbol index */
    uintptr_t addr;             /* where it was */
    size_t size, offset;        /* its bytes in data_save.bytes */
};

struct data_save {
    struct saved_var *vars;
    size_t n, cap;
    uint8_t *bytes;
    size_t size;
};

/* Before the threads are parked: add the variables of objs (NULL
 * entries are skipped) and make room for their values. */
void datasave_plan(struct data_save *ds, struct object *const *objs, size_t n);
/* In the commit, threads parked: copy their values. */
void datasave_take(struct data_save *ds);
/* The copies that put saved values back into the variables of nl, a
 * link of the same objects' bytes, wherever they now live. */
void datasave_put_back(const struct data_save *saved, const struct link *nl, struct var_copy **copies,
                       size_t *n);
void datasave_free(struct data_save *ds);

#endif
