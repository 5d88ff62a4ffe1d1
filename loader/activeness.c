/* Is old code still using a variable whose storage a reload moves?
 *
 * A migrated or reset variable gets new storage; code of the old versions
 * of its object keeps the old address. The switch is safe only when no
 * thread is executing, or has a frame in, an old-version function that
 * references the variable, for such a frame would go on with the old
 * storage after the commit. Before parking, the functions are found from
 * each old version's relocations; once parked, every thread unwinds its
 * own stack (stopworld.c: the loaded .eh_frame is registered, so the
 * unwinder knows hot-loaded code) and its frames are checked against
 * them. Unwinding takes the unwinder's and the dynamic linker's locks, so
 * it is only asked for when no parked thread is inside libgcc_s, ld.so or
 * dl_iterate_phdr, which may hold them. */
#include "activeness.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "stopworld.h"
#include "util.h"

static void add_range(struct activeness *a, uintptr_t start, uintptr_t end, const char *func,
                      const char *var, unsigned version)
{
    struct code_range r = {start, end, func, var, version};
    ARRAY_PUSH(a->users, a->nusers, a->capusers, r);
}

/* Does relocation r of code section sec reach [start, end)? Generously:
 * a RIP-relative operand's addend is off by up to 8 bytes. */
static bool reaches(const struct section *sec, const Elf64_Rela *r, const struct symbol *s, uintptr_t start,
                    uintptr_t end)
{
    int64_t delta = 0;
    if (s->type == STT_SECTION && s->sec)
        databind_delta(sec, r, s->sec, &delta);
    uintptr_t t = s->addr + delta + r->r_addend;
    return t + 8 >= start && t < end + 8;
}

/* The functions of version obj whose code references [start, end). */
static void find_users(struct activeness *a, struct object *obj, unsigned version,
                       const struct symbol *var, uintptr_t start, uintptr_t end)
{
    size_t nf;
    const struct func *f = object_functions(obj, &nf);
    for (size_t i = 0; i < nf; i++) {
        const struct section *sec = f[i].sec;
        bool uses = false;
        for (size_t k = 0; sec && k < sec->nrelas && !uses; k++) {
            const Elf64_Rela *r = &sec->relas[k];
            const struct symbol *s = obj->syms[ELF64_R_SYM(r->r_info)];
            uses = r->r_offset >= f[i].offset && r->r_offset < f[i].offset + f[i].size && s &&
                   reaches(sec, r, s, start, end);
        }
        if (uses)
            add_range(a, f[i].body, f[i].body + f[i].size, f[i].name, var->name, version);
    }
}

/* Code that may hold the unwinder's or the dynamic linker's locks. */
static int note_unsafe(struct dl_phdr_info *info, size_t size, void *data)
{
    struct activeness *a = data;
    (void)size;
    const char *name = info->dlpi_name;
    bool risky = strstr(name, "libgcc_s.so") || strstr(name, "ld-linux");
    for (int i = 0; risky && i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            struct code_range r = {info->dlpi_addr + ph->p_vaddr, info->dlpi_addr + ph->p_vaddr + ph->p_memsz,
                                   name, "", 0};
            ARRAY_PUSH(a->unsafe, a->nunsafe, a->capunsafe, r);
        }
    }
    return 0;
}

static void find_unsafe_code(struct activeness *a)
{
    dl_iterate_phdr(note_unsafe, a);
    Dl_info info;
    const ElfW(Sym) *sym = NULL;
    void *iterate = dlsym(RTLD_DEFAULT, "dl_iterate_phdr");
    if (iterate && dladdr1(iterate, &info, (void **)&sym, RTLD_DL_SYMENT) && sym) {
        struct code_range r = {(uintptr_t)iterate, (uintptr_t)iterate + sym->st_size, "dl_iterate_phdr", "", 0};
        ARRAY_PUSH(a->unsafe, a->nunsafe, a->capunsafe, r);
    }
}

void activeness_plan(struct activeness *a, const struct session *se, const struct bind_result *r)
{
    for (size_t i = 0; i < r->ndisplaced; i++) {
        const struct symbol *var = r->displaced[i];
        const struct version_list *vl = strmap_get(&se->versions, var->file->name);
        uintptr_t start = var->addr, end = var->addr + var->size;
        for (size_t v = 0; vl && v < vl->n; v++)
            if (vl->v[v]->syms) /* retired middle versions: relocations gone */
                find_users(a, vl->v[v], (unsigned)v, var, start, end);
    }
    if (a->nusers)
        find_unsafe_code(a);
}

static const struct code_range *within(const struct code_range *r, size_t n, uintptr_t pc)
{
    for (size_t i = 0; i < n; i++)
        if (pc >= r[i].start && pc < r[i].end)
            return &r[i];
    return NULL;
}

/* May the parked threads be asked to unwind? */
static bool unwinding_is_safe(const struct activeness *a)
{
    size_t n;
    const struct parked *t = world_parked(&n);
    for (size_t i = 0; i < n; i++)
        if (within(a->unsafe, a->nunsafe, t[i].ip))
            return false;
    return true;
}

/* The committing thread may be a program thread too (hotld_poll), with
 * old frames below it. */
static const struct code_range *own_user(const struct activeness *a)
{
    struct parked self = {0};
    world_backtrace_self(&self);
    const struct code_range *u = NULL;
    for (unsigned f = 1; !u && f < self.nframes; f++)
        u = within(a->users, a->nusers, self.frames[f] - 1);
    return u;
}

/* With the world parked: the first old function a thread is in, or has a
 * frame in, that uses a displaced variable; NULL if none. Sets *unknown
 * when the stacks could not be looked at this time. */
static const struct code_range *first_user(const struct activeness *a, bool *unknown)
{
    size_t n;
    *unknown = !unwinding_is_safe(a) || world_backtraces(200) < 0;
    if (*unknown)
        return NULL;
    const struct code_range *own = own_user(a);
    if (own)
        return own;
    const struct parked *t = world_parked(&n);
    for (size_t i = 0; i < n; i++) {
        const struct code_range *u = within(a->users, a->nusers, t[i].ip);
        /* frames[0..1] are the handler and the signal frame; after those,
         * return addresses, one byte past their call */
        for (unsigned f = 0; !u && f < t[i].nframes; f++)
            u = within(a->users, a->nusers, t[i].frames[f] - (f > 0));
        if (u)
            return u;
    }
    return NULL;
}

bool activeness_clear(struct activeness *a)
{
    if (!a->nusers)
        return true;
    bool unknown;
    const struct code_range *u = first_user(a, &unknown);
    if (u)
        a->blocker = u;
    return !u && !unknown;
}

int activeness_fail(const struct activeness *a, int timeout_ms)
{
    if (!a->blocker)
        return fail("the threads' stacks could not be inspected within %d ms (--reload-timeout)", timeout_ms);
    return fail("variable '%s' moves, but old code that uses it is still running: %s (version %u) "
                "after %d ms (--reload-timeout)", a->blocker->var, a->blocker->func, a->blocker->version,
                timeout_ms);
}

void activeness_free(struct activeness *a)
{
    free(a->users);
    free(a->unsafe);
    memset(a, 0, sizeof *a);
}
