/* The commit's part of carrying variables over: with every program thread
 * parked, copy each migrated variable's old value into its new storage by
 * its plan (or the user's hotld_migrate_NAME), in every thread for a
 * thread-local one (pointers to the old storage: pointerscan.c).
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
