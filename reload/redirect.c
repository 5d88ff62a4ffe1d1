/* Redirection: the entries of a replaced function's earlier versions jump
 * to its new body, so that unchanged code, function pointers and old
 * frames all reach the new code. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jump.h"
#include "patch.h"
#include "plan.h"
#include "stopworld.h"
#include "util.h"

/* Functions the compiler named itself (foo.constprop.0, foo.cold, ...)
 * may change their calling convention between builds: old code keeps its
 * own copies, only real functions are redirected. */
bool func_is_redirectable(const struct func *f)
{
    return !strchr(f->name, '.') && f->room >= JMP_SIZE;
}

/* The new body of each function of the new version, by name. */
static void index_functions(struct object *new, struct strmap *by_name)
{
    size_t n;
    const struct func *f = object_functions(new, &n);
    for (size_t i = n; i-- > 0;) /* the first of equal names wins */
        strmap_slot(by_name, f[i].name)->value = (void *)&f[i];
}

static int redirect_version(struct plan *p, struct object *old, struct strmap *new_funcs)
{
    size_t nf;
    const struct func *fs = object_functions(old, &nf);
    for (size_t i = 0; i < nf; i++) {
        const struct func *f = &fs[i], *n;
        if (func_is_redirectable(f) && (n = strmap_get(new_funcs, f->name)) && n->body != f->body) {
            uint8_t jmp[JMP_SIZE];
            if (!x86_encode_jmp(jmp, f->body, n->body))
                return fail("%s: '%s' moved out of a jump's reach of its first version", old->name, f->name);
            ARRAY_PUSH(p->redirects, p->nredirects, p->capredirects, ((struct redirect){f->body, n->body}));
        }
    }
    return 0;
}

/* The first version's entries (where unchanged code, function pointers and
 * &f lead) and the current version's (what its own code, perhaps still
 * running, calls directly) jump to the new bodies. Versions in between
 * already jump on to later ones, so their callers reach the new code
 * through those; the cost of a reload stays the same however many came
 * before. */
int plan_redirects(struct program *pg, struct plan *p, struct object *new)
{
    struct version_list *vl = strmap_get(&pg->versions, new->name);
    if (!vl)
        return 0;
    struct strmap new_funcs = {0};
    index_functions(new, &new_funcs);
    int rc = redirect_version(p, vl->v[0], &new_funcs);
    if (rc == 0 && vl->recent[0] != 0)
        rc = redirect_version(p, versions_current(vl), &new_funcs);
    strmap_free(&new_funcs);
    return rc;
}

/* No parked thread may be inside the bytes a patch overwrites (its entry
 * itself is fine: it will execute the new jump). */
bool redirects_are_safe(const struct plan *p)
{
    size_t n;
    const struct parked *t = world_parked(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p->nredirects; j++)
            if (t[i].ip > p->redirects[j].at && t[i].ip < p->redirects[j].at + JMP_SIZE)
                return false;
    return true;
}

static int by_place(const void *a, const void *b)
{
    const struct redirect *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Write the jumps, making each run of code pages writable once. */
int apply_redirects(struct plan *p)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    qsort(p->redirects, p->nredirects, sizeof *p->redirects, by_place);
    int rc = 0;
    for (size_t i = 0, j; i < p->nredirects; i = j) {
        uintptr_t lo = p->redirects[i].at, hi = ALIGN_UP(p->redirects[i].at + JMP_SIZE, page);
        for (j = i + 1; j < p->nredirects && p->redirects[j].at < hi + page; j++)
            hi = ALIGN_UP(p->redirects[j].at + JMP_SIZE, page);
        struct patch_window w;
        if (patch_open(&w, lo, hi - lo, PROT_READ | PROT_EXEC) < 0) {
            rc = -1;
            continue;
        }
        for (size_t k = i; k < j; k++)
            x86_encode_jmp((uint8_t *)p->redirects[k].at, p->redirects[k].at, p->redirects[k].to);
        rc |= patch_close(&w);
    }
    return rc;
}
