/* Is old code still using a variable whose storage a reload moves?
 *
 * A migrated or reset variable gets new storage; code of the old versions
 * of its object keeps the old address. The switch is safe only when no
 * thread is executing, or has a frame in, an old-version function that
 * references the variable, for such a frame would go on with the old
 * storage after the commit. Before parking, the functions are found from
 * each old version's relocations; once parked, every thread unwinds its
 * own stack (stopworld.c: the loaded .eh_frame is registered, so the
 * unwinder knows hot-loaded code, and sorted when registered, since
 * libgcc sorts a table with malloc on its first lookup and a thread
 * parked inside fork() holds the malloc locks) and its frames are checked
 * against them. A
 * frame blocks only if the code from where it resumes can reach a
 * use: its function's instructions are decoded and followed through their
 * jumps, so that a main loop whose object also initializes the variable,
 * before the loop, does not block forever. Unwinding takes the unwinder's
 * and the dynamic linker's locks, so it is only asked for when no parked
 * thread is inside libgcc_s, ld.so or dl_iterate_phdr, which may hold
 * them. */
#include "activeness.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "stacks.h"
#include "stopworld.h"
#include "util.h"
#include "insn.h"

/* Which offsets of f can reach a use (refs: offsets of instructions'
 * fields that reference the variable): a fixpoint over the decoded
 * instructions, each tainted if it holds a use or a successor is. */
static uint8_t *resume_map(const struct func *f, const uint64_t *refs, size_t nrefs)
{
    size_t n = f->size;
    uint8_t *map = xcalloc(n + 1, 1);
    int *len = xcalloc(n + 1, sizeof *len);
    for (size_t at = 0; at < n;) {
        int l = f->bytes ? x86_insn_length(f->bytes + at, n - at) : -1;
        if (l <= 0) {
            xfree(map), xfree(len);
            return NULL;
        }
        len[at] = l;
        map[at] = 1;
        for (size_t r = 0; r < nrefs; r++)
            if (refs[r] >= at && refs[r] < at + (size_t)l)
                map[at] = 2;
        at += l;
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t at = n; at-- > 0;) {
            if (map[at] != 1)
                continue;
            int64_t rel = 0;
            size_t next = at + len[at];
            enum x86_flow flow = x86_insn_flow(f->bytes + at, len[at], &rel);
            int64_t target = (int64_t)next + rel;
            bool to_next = (flow == X86_NEXT || flow == X86_BRANCH) && next < n && map[next] == 2;
            bool jumps = flow == X86_JUMP || flow == X86_BRANCH;
            bool inside = jumps && target >= 0 && target < (int64_t)n;
            bool to_target = inside && map[target] != 1; /* a use, or not an instruction start */
            if (to_next || to_target || flow == X86_UNKNOWN) {
                map[at] = 2;
                changed = true;
            }
        }
    }
    xfree(len);
    return map;
}

static void add_range(struct activeness *a, const struct func *f, const char *var, unsigned version,
                      const uint64_t *refs, size_t nrefs)
{
    struct code_range r = {f->body, f->body + f->size, f->name, var, version, resume_map(f, refs, nrefs)};
    ARRAY_PUSH(a->users, a->nusers, a->capusers, r);
}

/* Does relocation r of code section sec reach [start, end)? Generously:
 * a RIP-relative operand's addend is off by up to 8 bytes. */
static bool reaches(const struct section *sec, const Elf64_Rela *r, const struct symbol *s, uintptr_t start,
                    uintptr_t end)
{
    int64_t delta = 0;
    if (s->type == STT_SECTION && s->sec)
        bind_delta_of_reloc(sec, r, s->sec, &delta);
    uintptr_t t = s->addr + delta + r->r_addend;
    return t + 8 >= start && t < end + 8;
}

/* The functions of version obj whose code references [start, end). */
static void find_users(struct activeness *a, struct object *obj, unsigned version,
                       const struct symbol *var, uintptr_t start, uintptr_t end)
{
    size_t nf;
    const struct func *f = object_functions(obj, &nf);
    uint64_t *refs = NULL;
    size_t nrefs = 0, caprefs = 0;
    for (size_t i = 0; i < nf; i++) {
        const struct section *sec = f[i].sec;
        nrefs = 0;
        for (size_t k = 0; sec && k < sec->nrelas; k++) {
            const Elf64_Rela *r = &sec->relas[k];
            const struct symbol *s = obj->syms[ELF64_R_SYM(r->r_info)];
            if (r->r_offset >= f[i].offset && r->r_offset < f[i].offset + f[i].size && s &&
                reaches(sec, r, s, start, end))
                ARRAY_PUSH(refs, nrefs, caprefs, r->r_offset - f[i].offset);
        }
        if (nrefs)
            add_range(a, &f[i], var->name, version, refs, nrefs);
    }
    xfree(refs);
}

static void add_unsafe(struct activeness *a, uintptr_t start, uintptr_t end, const char *what)
{
    struct code_range r = {start, end, what, "", 0, NULL};
    ARRAY_PUSH(a->unsafe, a->nunsafe, a->capunsafe, r);
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
            uintptr_t start = info->dlpi_addr + ph->p_vaddr;
            add_unsafe(a, start, start + ph->p_memsz, name);
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
        add_unsafe(a, (uintptr_t)iterate, (uintptr_t)iterate + sym->st_size, "dl_iterate_phdr");
    }
}

static const struct code_range *own_user(const struct activeness *a);

void activeness_plan(struct activeness *a, const struct program *pg, const struct bind_result *r)
{
    for (size_t i = 0; i < r->ndisplaced; i++) {
        const struct symbol *var = r->displaced[i];
        const struct version_list *vl = strmap_get(&pg->versions, var->file->name);
        uintptr_t start = var->addr, end = var->addr + var->size;
        for (size_t v = 0; vl && v < vl->n; v++)
            if (vl->v[v]->syms) /* retired middle versions: relocations gone */
                find_users(a, vl->v[v], (unsigned)v, var, start, end);
    }
    find_unsafe_code(a); /* running.c may ask for backtraces too */
    if (a->nusers)
        a->own = own_user(a); /* now: unwinding may allocate, which a parked thread could block */
}

static const struct code_range *within(const struct code_range *r, size_t n, uintptr_t pc)
{
    for (size_t i = 0; i < n; i++)
        if (pc >= r[i].start && pc < r[i].end)
            return &r[i];
    return NULL;
}

/* A user whose code, resumed at pc (an interrupted instruction or a
 * return address), may still reach its use. */
static const struct code_range *user_resuming_at(const struct activeness *a, uintptr_t pc)
{
    const struct code_range *u = within(a->users, a->nusers, pc);
    return u && (!u->resume || u->resume[pc - u->start] != 1) ? u : NULL;
}

static bool is_users(uintptr_t word, const void *activeness)
{
    return user_resuming_at(activeness, word) != NULL;
}

bool activeness_can_unwind(const struct activeness *a)
{
    size_t n;
    const struct parked *t = world_parked(&n);
    for (size_t i = 0; i < n; i++)
        if (within(a->unsafe, a->nunsafe, t[i].ip))
            return false;
    return true;
}

/* The committing thread may be a program thread too (hotld_poll), with
 * old frames below it. Its stack is the same at the commit as before the
 * stop, so it is looked at before. */
static const struct code_range *own_user(const struct activeness *a)
{
    struct parked self = {0};
    world_backtrace_self(&self);
    const struct code_range *u = NULL;
    for (unsigned f = 1; !u && f < self.nframes; f++)
        u = user_resuming_at(a, self.frames[f]);
    return u;
}

/* With the world parked: the first old function a thread is in, or has a
 * frame in, that uses a displaced variable; NULL if none. Sets *unknown
 * when the stacks could not be looked at this time. */
static const struct code_range *first_user(const struct activeness *a, int wait_ms, bool *unknown)
{
    size_t n;
    *unknown = !activeness_can_unwind(a) || world_backtraces(wait_ms) < 0;
    if (*unknown)
        return NULL;
    if (a->own)
        return a->own;
    const struct parked *t = world_parked(&n);
    for (size_t i = 0; i < n; i++) {
        /* the interrupted instruction, then every frame's resume point */
        const struct code_range *u = user_resuming_at(a, t[i].ip);
        for (unsigned f = 0; !u && f < t[i].nframes; f++)
            u = user_resuming_at(a, t[i].frames[f]);
        if (u)
            return u;
    }
    /* A thread seen asleep has no unwound frames: any word of its stack
     * may be one. */
    const struct asleep *s = world_asleep(&n);
    uintptr_t word;
    for (size_t i = 0; i < n; i++)
        if (user_resuming_at(a, s[i].pc) || stack_find(s[i].sp, is_users, a, &word))
            return user_resuming_at(a, user_resuming_at(a, s[i].pc) ? s[i].pc : word);
    return NULL;
}

bool activeness_clear(struct activeness *a, int wait_ms)
{
    if (!a->nusers)
        return true;
    bool unknown;
    const struct code_range *u = first_user(a, wait_ms, &unknown);
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
    for (size_t i = 0; i < a->nusers; i++)
        xfree(a->users[i].resume);
    xfree(a->users);
    xfree(a->unsafe);
    memset(a, 0, sizeof *a);
}
