/* The commit's part of carrying variables over: with every program thread
 * parked, copy each migrated variable's old value into its new storage by
 * its plan (or the user's hotld_migrate_NAME), in every thread for a
 * thread-local one, and move pointers into the old storage to the new.
 * Nothing here allocates: a parked thread may hold a malloc lock. */
#include <string.h>

#include "databind.h"
#include "typeinfo.h"
#include "util.h"

/* After the new link is relocated (its TLS block loaded): a thread-local
 * variable's old and new places as offsets from the thread pointer. */
void migrations_prepare(struct bind_result *r)
{
    for (size_t i = 0; i < r->nmigrations; i++) {
        struct var_migration *m = &r->migrations[i];
        struct tls_place from, to;
        if (m->tls && tls_locate(m->from, &from) == 0 && tls_locate(m->tls->addr, &to) == 0) {
            m->from = (uintptr_t)from.tpoff;
            m->to = (uintptr_t)to.tpoff;
        }
    }
}

static void migrate(const struct var_migration *m, uintptr_t from, uintptr_t to)
{
    if (m->user)
        m->user((const void *)from, (void *)to);
    else
        type_plan_apply(m->plan, (const void *)from, (void *)to);
}

/* At the commit, with every thread parked: allocates nothing. A
 * thread-local variable migrates in every thread. */
void migrations_apply(const struct bind_result *r, const uintptr_t *tps, size_t ntps)
{
    for (size_t i = 0; i < r->nmigrations; i++) {
        const struct var_migration *m = &r->migrations[i];
        if (!m->tls)
            migrate(m, m->from, m->to);
        for (size_t t = 0; m->tls && t < ntps; t++)
            migrate(m, tps[t] + m->from, tps[t] + m->to);
    }
}

/* Where the byte at offset off of a migrated variable's old storage went:
 * its start stays its start (a user function's too); inside, the plan's
 * anchors and copies say. */
static bool new_offset(const struct var_migration *m, uint64_t off, uint64_t *out)
{
    if (off == 0 || !m->plan) {
        *out = 0;
        return off == 0;
    }
    return type_plan_offset(m->plan, off, out);
}

static void rewrite_section(const struct bind_result *r, const struct section *s)
{
    uintptr_t start = ALIGN_UP(s->addr, 8), end = s->addr + s->size;
    for (uintptr_t at = start; at + 8 <= end; at += 8) {
        uintptr_t v = *(const uintptr_t *)at;
        for (size_t i = 0; i < r->nmigrations; i++) {
            const struct var_migration *m = &r->migrations[i];
            uint64_t off;
            if (!m->tls && v >= m->from && v < m->from + m->old_size && new_offset(m, v - m->from, &off)) {
                *(uintptr_t *)at = m->to + off;
                break;
            }
        }
    }
}

/* Pointers into a migrated variable's old storage, wherever the program
 * keeps writable data of its own (every generation's data sections), now
 * point to the same place in the new storage. Not rewritten: pointers on
 * the heap or a stack, in read-only data (relro), or that point inside a
 * scalar that changed representation. At the commit: allocates nothing. */
void migrations_rewrite_pointers(const struct bind_result *r, struct link *const *gens, size_t ngens)
{
    for (size_t g = 0; r->nmigrations && g < ngens; g++)
        for (size_t i = 0; i < gens[g]->nobjs; i++) {
            const struct object *obj = gens[g]->objs[i];
            for (size_t j = 1; j < obj->nsecs; j++) {
                const struct section *s = &obj->secs[j];
                if (s->out && s->out->seg == SEG_DATA && !(s->flags & SHF_TLS) && !s->discarded &&
                    !s->storage_unused)
                    rewrite_section(r, s);
            }
        }
}
