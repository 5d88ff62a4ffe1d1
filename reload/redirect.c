/* Redirection: the entries of a replaced function's earlier versions jump
 * to its new body, so that unchanged code, function pointers and old
 * frames all reach the new code. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backtrace.h"
#include "jump.h"
#include "patch.h"
#include "plan.h"
#include "insn.h"
#include "samefunc.h"
#include "stacks.h"
#include "stopworld.h"
#include "util.h"

/* Functions the compiler named itself (foo.constprop.0, foo.cold, ...)
 * may change their calling convention between builds: old code keeps its
 * own copies, only real functions are redirected. */
bool func_is_redirectable(const struct func *f)
{
    return !strchr(f->name, '.') && f->room >= JMP_SIZE;
}

/* The new body of each function of the new version, by id (its name,
 * and for a local function its file and rank there). */
static void index_functions(struct object *new, struct strmap *by_id)
{
    size_t n;
    const struct func *f = object_functions(new, &n);
    for (size_t i = 0; i < n; i++)
        strmap_slot(by_id, f[i].id)->value = (void *)&f[i];
}

/* The places inside the first JMP_SIZE bytes of f where an instruction
 * starts: a thread interrupted there, a return address or a signal's
 * saved pc there, would find the middle of the jump. Every place, if f
 * cannot be decoded. */
static void add_inside_points(struct plan *p, const struct func *f)
{
    size_t at = 0;
    while (at < JMP_SIZE && at < f->size) {
        int len = f->bytes ? x86_insn_length(f->bytes + at, f->size - at) : -1;
        if (len <= 0) {
            for (size_t k = at + 1; k < JMP_SIZE; k++)
                ARRAY_PUSH(p->inside, p->ninside, p->capinside, f->body + k);
            return;
        }
        at += (size_t)len;
        if (at < JMP_SIZE)
            ARRAY_PUSH(p->inside, p->ninside, p->capinside, f->body + at);
    }
}

bool in_redirected_entry(const struct section *sec, uint64_t offset)
{
    const struct object *obj = sec->obj;
    uintptr_t at = sec->addr + offset;
    for (size_t i = 0; i < obj->nfuncs; i++) {
        const struct func *f = &obj->funcs[i];
        bool overlaps = at < f->body + JMP_SIZE && at + 4 > f->body;
        if (overlaps && f->bytes && *(const uint8_t *)f->body == JMP_REL32 && f->bytes[0] != JMP_REL32)
            return true;
    }
    return false;
}

/* Does a branch of f lead into its first JMP_SIZE bytes, past the entry?
 * gcc -O0 puts a loop right after a 4-byte prologue (push %rbp; mov
 * %rsp,%rbp): its back edge targets entry+4. Undecodable code counts as
 * yes. An indirect jump (a switch's table) is taken not to. */
static bool decode_loops_back(const struct func *f)
{
    size_t at = 0;
    while (f->bytes && at < f->size) {
        int64_t target;
        int len = x86_insn_length(f->bytes + at, f->size - at);
        if (len <= 0)
            return true;
        enum x86_flow flow = x86_insn_flow(f->bytes + at, len, &target);
        at += (size_t)len;
        int64_t to = (int64_t)at + target;
        if ((flow == X86_JUMP || flow == X86_BRANCH) && to > 0 && to < JMP_SIZE)
            return true;
    }
    return !f->bytes;
}

/* Asked only of a body a parked thread is in, and then once: its bytes
 * never change, and decoding every changed function up front, luaV_execute
 * among them, was a sixth of a reload of lvm.o. */
static bool loops_back(const struct func *f)
{
    if (!f->loops_back) /* a cache of what its bytes say: the record is the object's */
        ((struct func *)f)->loops_back = decode_loops_back(f) ? 2 : 1;
    return f->loops_back == 2;
}

/* f's entry (in old) jumps to `to`, the new body; same: it is the same
 * code as f. */
static int redirect_function(struct plan *p, const struct object *old, const struct func *f, uintptr_t to,
                             bool same)
{
    uint8_t jmp[JMP_SIZE];
    if (!x86_encode_jmp(jmp, f->body, to))
        return fail("%s: '%s' moved out of a jump's reach of its first version", old->name, f->name);
    ARRAY_PUSH(p->redirects, p->nredirects, p->capredirects,
               ((struct redirect){.at = f->body, .to = to, .size = f->size, .name = f->name, .func = f,
                                  .same = same})); /* .reach: sort_redirects */
    add_inside_points(p, f);
    return 0;
}

static int redirect_version(struct plan *p, struct object *old, struct strmap *new_funcs)
{
    size_t nf;
    const struct func *fs = object_functions(old, &nf);
    for (size_t i = 0; i < nf; i++) {
        const struct func *f = &fs[i], *n;
        if (func_is_redirectable(f) && (n = strmap_get(new_funcs, f->id)) && n->body != f->body &&
            redirect_function(p, old, f, n->body, same_function(f, n)) < 0)
            return -1;
    }
    return 0;
}

/* The first version's entries (where unchanged code, function pointers and
 * &f lead) and the current version's (what its own code, perhaps still
 * running, calls directly) jump to the new bodies. Versions in between
 * already jump on to later ones, so their callers reach the new code
 * through those; the cost of a reload stays the same however many came
 * before. */
static int by_address(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

static int by_place(const void *a, const void *b)
{
    const struct redirect *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

void sort_redirects(struct plan *p)
{
    if (p->nredirects) /* none at all: an object whose functions all stay */
        qsort(p->redirects, p->nredirects, sizeof *p->redirects, by_place);
    uintptr_t reach = 0;
    for (size_t i = 0; i < p->nredirects; i++) {
        struct redirect *r = &p->redirects[i];
        reach = r->at + r->size > reach ? r->at + r->size : reach;
        r->reach = reach;
    }
    if (p->ninside) /* none: every entry's first instruction spans its 5 bytes */
        qsort(p->inside, p->ninside, sizeof *p->inside, by_address);
}

static bool is_inside(uintptr_t pc, const void *plan)
{
    const struct plan *p = plan;
    return p->ninside && bsearch(&pc, p->inside, p->ninside, sizeof pc, by_address);
}

/* The last redirect placed at or below pc, then back while an earlier
 * body may still reach it (bodies may overlap: aliases, odd symbol sizes). */
const struct redirect *redirect_holding(const struct plan *p, uintptr_t pc,
                                        bool (*wanted)(const struct redirect *r, uintptr_t pc))
{
    size_t below = COUNT_STARTING_UPTO(p->redirects, p->nredirects, at, pc);
    for (size_t i = below; i-- > 0 && p->redirects[i].reach > pc;) {
        const struct redirect *r = &p->redirects[i];
        if (pc < r->at + r->size && wanted(r, pc))
            return r;
    }
    return NULL;
}

/* The function whose first bytes hold pc (for a message: a walk will do;
 * a body shorter than the jump has them past its end). */
static const char *inside_which(const struct plan *p, uintptr_t pc)
{
    for (size_t i = 0; i < p->nredirects; i++)
        if (pc > p->redirects[i].at && pc < p->redirects[i].at + JMP_SIZE)
            return p->redirects[i].name;
    return "?";
}

static bool loops_into_entry(const struct redirect *r, uintptr_t pc)
{
    (void)pc;
    return loops_back(r->func);
}

/* Inside the body of a function whose loop comes back into its first
 * bytes. */
static const struct redirect *looping_in(const struct plan *p, uintptr_t pc)
{
    return redirect_holding(p, pc, loops_into_entry);
}

static bool is_inside_or_looping(uintptr_t pc, const void *plan)
{
    return is_inside(pc, plan) || looping_in(plan, pc);
}

static bool same_code_past_entry(const struct redirect *r, uintptr_t pc)
{
    return r->same && pc > r->at;
}

/* The redirect of a function whose new body is the same code, and whose
 * old body holds pc past its entry. */
static const struct redirect *same_code_holding(const struct plan *p, uintptr_t pc)
{
    return redirect_holding(p, pc, same_code_past_entry);
}

/* Is the word at slot one of t's return addresses, as its own unwinding
 * found them (not a word that only looks like one)? */
static bool is_return_slot(const struct parked *t, uintptr_t slot, uintptr_t word)
{
    for (unsigned f = 1; f < t->nframes; f++)
        if (t->frames[f] == word && t->cfas[f] - 8 == slot)
            return true;
    return false;
}

/* What stops a parked thread: where it was interrupted, or a word of its
 * stack, other than a return address into the old body of a function
 * whose new body is the same code: that one moves to the same place in
 * the new body (std's 5-byte start-up shim of a Rust program, which main
 * returns into; clang's "push; call" prologues). Moving needs the
 * thread's exact frames: *unwound says whether they were asked for in
 * this stop, and -1 means they must be. */
static int parked_blocks(struct plan *p, const struct parked *t, bool unwound, uintptr_t *found)
{
    if (is_inside_or_looping(*found = t->ip, p))
        return 1;
    for (uintptr_t slot = t->sp; stack_find_slot(slot, is_inside_or_looping, p, &slot); slot += 8) {
        *found = *(const uintptr_t *)slot;
        const struct redirect *r = same_code_holding(p, *found);
        if (!r || (unwound && !is_return_slot(t, slot, *found)))
            return 1;
        if (!unwound)
            return -1;
        ARRAY_PUSH(p->moves, p->nmoves, p->capmoves, ((struct return_move){slot, *found, r->to + (*found - r->at)}));
    }
    return 0;
}

/* No stopped thread may resume inside the bytes a jump overwrites: not
 * where it was interrupted, not where any word of its stack (a return
 * address, a signal's saved pc) could send it, and not through a loop of
 * the function it is in; but for the return addresses planned to move.
 * Its entry itself is fine: it will execute the new jump. */
bool redirects_are_safe(struct plan *p, const char **blocker)
{
    size_t n, m;
    const struct parked *t = world_parked(&n);
    const struct asleep *a = world_asleep(&m);
    uintptr_t found = 0;
    bool hit = false, unwound = false;
    p->nmoves = 0;
    for (size_t i = 0; !hit && i < n; i++) {
        int blocks = parked_blocks(p, &t[i], unwound, &found);
        if (blocks < 0 && !unwound && activeness_can_unwind(&p->act) && world_backtraces(WORLD_BACKTRACE_WAIT_MS) == 0) {
            unwound = true;
            t = world_parked(&n); /* with their frames */
            p->nmoves = 0;
            i = (size_t)-1;
            continue;
        }
        hit = blocks != 0;
    }
    for (size_t i = 0; !hit && i < m; i++)
        hit = is_inside_or_looping(found = a[i].pc, p) || stack_find(a[i].sp, is_inside_or_looping, p, &found);
    const struct redirect *loop = hit ? looping_in(p, found) : NULL;
    if (hit)
        *blocker = loop ? loop->name : inside_which(p, found);
    return !hit;
}

void move_returns(const struct plan *p)
{
    for (size_t i = 0; i < p->nmoves; i++)
        if (*(const uintptr_t *)p->moves[i].slot == p->moves[i].from)
            *(uintptr_t *)p->moves[i].slot = p->moves[i].to;
}

/* This thread can unwind itself: its return addresses exactly, not its
 * stack's words (a crash record in hotld_protect's frame holds the pc
 * that crashed, which is no frame). */
bool own_stack_is_safe(const struct plan *p, const char **blocker)
{
    struct parked self;
    world_backtrace_self(&self);
    for (unsigned f = 0; f < self.nframes; f++)
        if (is_inside(self.frames[f], p)) {
            *blocker = inside_which(p, self.frames[f]);
            return false;
        }
    return true;
}

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

const struct func *function_starting_at(const struct program *pg, uintptr_t body, const struct object **obj)
{
    unsigned version;
    size_t n;
    *obj = object_at(pg, body, &version);
    const struct func *fs = *obj ? object_functions((struct object *)*obj, &n) : NULL;
    for (size_t i = 0; fs && i < n; i++)
        if (fs[i].body == body)
            return &fs[i];
    return NULL;
}

static int redirect_body(const struct program *pg, struct plan *p, uintptr_t body, uintptr_t to)
{
    const struct object *obj;
    const struct func *f = function_starting_at(pg, body, &obj);
    return f && func_is_redirectable(f) && body != to ? redirect_function(p, obj, f, to, false) : 0;
}

/* The global function `name` of link ld, if object `object` defines it
 * (in), or if another object does (!in). */
static const struct symbol *global_function(const struct link *ld, const char *name, const char *object, bool in)
{
    const struct symbol *s = strmap_get(&ld->symtab, name);
    bool defined = s && s->kind == SYM_DEFINED && s->type == STT_FUNC && s->global && s->file;
    return defined && !strcmp(s->file->name, object) == in ? s : NULL;
}

const struct func *function_moved_in(const struct program *pg, const struct object *new, const struct func *f)
{
    const struct symbol *l = global_function(new->link, f->name, new->name, true)
                                 ? global_function(pg->live, f->name, new->name, false) : NULL;
    const struct object *obj;
    return l ? function_starting_at(pg, l->call_addr ? l->call_addr : l->addr, &obj) : NULL;
}

bool moved_with_group(const struct object *other, const struct func *f)
{
    for (size_t k = 1; k < other->nsecs; k++)
        if (other->secs[k].discarded && !strcmp(other->secs[k].name, f->sec->name))
            return true;
    return false;
}

bool function_moved_out(const struct program *pg, const struct object *old, const struct object *new,
                        const struct func *f)
{
    return (global_function(pg->live, f->name, old->name, true) &&
            global_function(new->link, f->name, old->name, false)) ||
           moved_with_group(new, f);
}

/* A global function whose live definition is another object's: the kept
 * copy of a COMDAT group (an inline function, a template instance) that
 * moved because the object it was kept from no longer has it, or a
 * function moved to another file. The other object's redirects do not see
 * it, so here its first address (&f, unchanged callers) and its live body
 * (old code's direct calls) jump to the new body. Run after funcaddr_keep,
 * which gave the new symbol that first address. */
int plan_moved_functions(const struct program *pg, struct plan *p, const struct object *new)
{
    for (size_t i = 1; i < new->nsyms; i++) {
        const struct symbol *s = new->syms[i], *l;
        if (!s || s->file != new || !s->call_addr || !global_function(new->link, s->name, new->name, true) ||
            !(l = global_function(pg->live, s->name, new->name, false)))
            continue;
        if (redirect_body(pg, p, l->addr, s->call_addr) < 0 ||
            (l->call_addr && l->call_addr != l->addr && redirect_body(pg, p, l->call_addr, s->call_addr) < 0))
            return -1;
    }
    return 0;
}

/* Write the jumps, making each run of code pages writable once. */
int apply_redirects(struct plan *p)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
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
        for (size_t k = i; k < j; k++) {
            uint8_t jmp[JMP_SIZE];
            x86_encode_jmp(jmp, p->redirects[k].at, p->redirects[k].to);
            patch_code(p->redirects[k].at, jmp, JMP_SIZE);
        }
        rc |= patch_close(&w);
    }
    world_sync_cores(); /* every thread fetches the new bytes from here on */
    return rc;
}
