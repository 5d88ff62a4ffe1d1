/* Frames that go on in old code. A reload sends the callers of a changed
 * function to its new body, but a frame already inside the old body runs
 * on there until it returns: a loop that never returns (main's, a
 * thread's) never sees the edit. With the threads parked, each thread's
 * frames of program code are followed from the outermost in, for as long
 * as each calls the next once (the call is in no loop of its function):
 * those frames live on. The first of them in the old body of a function
 * the reload changes (main's loop, or the loop of a run() that main
 * calls) is told in the report (report.c), since "2 functions changed"
 * and nothing visible happening is a silent failure to the user.
 *
 * A parked thread's stack is first read word by word (stacks.c), not
 * unwound: unwinding every thread on every reload costs too much with
 * thousands of threads, and needs the unwinder's locks. A word counts as
 * a frame only if it points into program code just after a call
 * instruction, so data such as a function pointer is not taken for one;
 * but a return address a finished call left behind looks like one. So
 * only when some word is in old code are the threads asked to unwind, and
 * their real frames followed; if they cannot be, only the outermost
 * program frame is taken (a thread that blocks the signal is always
 * looked at so). Frames below a call made in a loop (a thread caught in a
 * callee of its loop) are not told: they return soon, to code that calls
 * the new version; unless one never leaves its function (a callee that
 * loops for ever itself, which no edit would reach without the warning). */
#include <sys/types.h>
#include <unistd.h>

#include "insn.h"
#include "jump.h"
#include "plan.h"
#include "stacks.h"
#include "stopworld.h"

#define FRAMES_FOLLOWED 64
#define LOOP_SPAN 4096          /* how far from a call a loop's jumps are looked for */
#define LOOP_LOOK 256           /* instructions followed from a call */

/* A return address into program code? */
static bool is_program_return(uintptr_t word, const void *program)
{
    const struct image *im = program_text_at(program, word);
    return im && x86_call_ends_at((const uint8_t *)word, word - im->seg_start[SEG_TEXT]);
}

static bool seen_before(const uintptr_t *seen, size_t n, uintptr_t at)
{
    for (size_t i = 0; i < n; i++)
        if (seen[i] == at)
            return true;
    return false;
}

/* The program's instruction at `at`: where it goes on (next) and where
 * it jumps (target), and which of the two it takes. */
static enum x86_flow step_at(const struct image *im, uintptr_t at, uintptr_t *next, uintptr_t *target)
{
    int len = x86_insn_length((const uint8_t *)at, im->seg_end[SEG_TEXT] - at);
    int64_t rel = 0;
    enum x86_flow flow = len > 0 ? x86_insn_flow((const uint8_t *)at, len, &rel) : X86_UNKNOWN;
    if (flow == X86_LEAVE && len == 5 && *(const uint8_t *)at == 0xe9)
        flow = X86_JUMP; /* linked: a displacement of 0 is the next instruction, not a tail call */
    *next = at + (uintptr_t)(len > 0 ? len : 0);
    *target = *next + (uintptr_t)rel;
    return flow;
}

/* Is the call that returns to ret inside a loop of its function? The
 * code from ret is followed through its jumps and branches (up to
 * LOOP_LOOK instructions, near the call): a jump back to before the call
 * is a loop. What cannot be followed (an indirect jump, bytes that do not
 * decode) counts as one: the frames below are then not told. */
static bool call_in_loop(const struct program *pg, uintptr_t ret)
{
    uintptr_t todo[LOOP_LOOK], seen[LOOP_LOOK];
    size_t ntodo = 0, nseen = 0;
    todo[ntodo++] = ret;
    while (ntodo && nseen < LOOP_LOOK) {
        uintptr_t at = todo[--ntodo], next, target;
        const struct image *im = program_text_at(pg, at);
        if (!im || seen_before(seen, nseen, at))
            continue;
        seen[nseen++] = at;
        enum x86_flow flow = step_at(im, at, &next, &target);
        bool jumps = flow == X86_JUMP || flow == X86_BRANCH;
        if (flow == X86_UNKNOWN || (jumps && target < ret && ret - target <= LOOP_SPAN))
            return true;
        if ((flow == X86_NEXT || flow == X86_BRANCH) && ntodo < LOOP_LOOK)
            todo[ntodo++] = next;
        if (jumps && target >= ret && target - ret <= LOOP_SPAN && ntodo < LOOP_LOOK)
            todo[ntodo++] = target;
    }
    return false;
}

/* Does the code from `from` never leave its function? Every way from it
 * (followed as in call_in_loop) stays near and comes back, and none
 * returns, calls in tail, or goes where it cannot be followed. A frame
 * there loops for ever (a for (;;) around its call), even one called
 * again and again by a loop of its caller. */
static bool never_leaves(const struct program *pg, uintptr_t from)
{
    uintptr_t todo[LOOP_LOOK], seen[LOOP_LOOK];
    size_t ntodo = 0, nseen = 0;
    todo[ntodo++] = from;
    while (ntodo) {
        uintptr_t at = todo[--ntodo], next, target;
        const struct image *im = program_text_at(pg, at);
        if (seen_before(seen, nseen, at))
            continue;
        if (!im || nseen == LOOP_LOOK || ntodo + 2 > LOOP_LOOK)
            return false; /* out of the program's code, or too far to tell */
        seen[nseen++] = at;
        enum x86_flow flow = step_at(im, at, &next, &target);
        bool jumps = flow == X86_JUMP || flow == X86_BRANCH;
        bool near = target < from ? from - target <= LOOP_SPAN : target - from <= LOOP_SPAN;
        if (flow == X86_LEAVE || flow == X86_UNKNOWN || (jumps && !near))
            return false;
        if (flow == X86_NEXT || flow == X86_BRANCH)
            todo[ntodo++] = next;
        if (jumps)
            todo[ntodo++] = target;
    }
    return true;
}

/* The changed function whose old body holds pc, past the jump at its
 * entry (which sends a frame starting there to the new body). A function
 * whose new body is the same code is not changed: running on in its old
 * body is running its new code. */
static bool changed_past_entry(const struct redirect *r, uintptr_t pc)
{
    return !r->same && pc >= r->at + JMP_SIZE;
}

static const struct redirect *old_body_at(const struct plan *p, uintptr_t pc)
{
    return redirect_holding(p, pc, changed_past_entry);
}

static void note_thread(struct plan *p, pid_t tid, uintptr_t pc, bool returns_to)
{
    const struct redirect *r = old_body_at(p, pc);
    if (r && p->nrunning < RUNNING_OLD_TOLD)
        p->running[p->nrunning++] = (struct running_old){r, pc, returns_to, tid};
}

/* A thread's return addresses into program code, innermost first, and
 * where it is (ip, 0 if that is hotld's own code): the first frame from
 * the outermost in that lives on and is in old code. Below a call made
 * in a loop, a frame lives on only if it never leaves its function. */
static void look_at_frames(const struct program *pg, struct plan *p, pid_t tid, const uintptr_t *rets, size_t n,
                           uintptr_t ip)
{
    bool below_loop = false;
    for (size_t k = n; k-- > 0;) {
        if (old_body_at(p, rets[k]) && (!below_loop || never_leaves(pg, rets[k]))) {
            note_thread(p, tid, rets[k], true);
            return;
        }
        below_loop = below_loop || call_in_loop(pg, rets[k]);
    }
    if (ip && program_text_at(pg, ip) && (!below_loop || never_leaves(pg, ip)))
        note_thread(p, tid, ip, false);
}

/* A stack read word by word may hold stale return addresses, left by
 * calls that returned: only its outermost program frame is taken for
 * one, or, with none, the code it was stopped in. */
static void look_at_stack(const struct program *pg, struct plan *p, pid_t tid, uintptr_t ip, uintptr_t sp)
{
    uintptr_t rets[FRAMES_FOLLOWED];
    size_t n = stack_find_all(sp, is_program_return, pg, rets, FRAMES_FOLLOWED);
    look_at_frames(pg, p, tid, n ? rets + n - 1 : rets, n ? 1 : 0, n ? 0 : ip);
}

/* Does any word of the stack at sp, or ip, lie in old code? */
static bool may_run_old_code(const struct program *pg, const struct plan *p, uintptr_t ip, uintptr_t sp)
{
    uintptr_t rets[FRAMES_FOLLOWED];
    size_t n = stack_find_all(sp, is_program_return, pg, rets, FRAMES_FOLLOWED);
    bool old = old_body_at(p, ip) != NULL;
    for (size_t k = 0; k < n && !old; k++)
        old = old_body_at(p, rets[k]) != NULL;
    return old;
}

/* A parked thread's frames as its unwinder found them: all of them are
 * real. */
static void look_at_backtrace(const struct program *pg, struct plan *p, const struct parked *t)
{
    uintptr_t rets[WORLD_MAX_FRAMES];
    size_t n = 0;
    for (unsigned f = 0; f < t->nframes; f++)
        if (program_text_at(pg, t->frames[f]))
            rets[n++] = t->frames[f];
    look_at_frames(pg, p, t->tid, rets, n, t->ip);
}

void find_running_old_code_here(const struct program *pg, struct plan *p)
{
    struct parked self;
    uintptr_t rets[WORLD_MAX_FRAMES];
    size_t n = 0;
    p->nrunning = 0;
    world_backtrace_self(&self);
    for (unsigned f = 1; f < self.nframes; f++)
        if (program_text_at(pg, self.frames[f]))
            rets[n++] = self.frames[f];
    look_at_frames(pg, p, gettid(), rets, n, 0);
}

/* Only when some stack may be in old code are the parked threads asked
 * for their backtraces (which costs their unwinding): with them, every
 * frame that lives on is looked at; without, the outermost. */
void find_running_old_code(const struct program *pg, struct plan *p)
{
    size_t n;
    const struct parked *t = world_parked(&n);
    bool suspect = false;
    for (size_t i = 0; i < n && !suspect; i++)
        suspect = may_run_old_code(pg, p, t[i].ip, t[i].sp);
    bool unwound = suspect && activeness_can_unwind(&p->act) && world_backtraces(WORLD_BACKTRACE_WAIT_MS) == 0;
    t = world_parked(&n); /* now with their frames */
    for (size_t i = 0; i < n; i++)
        if (unwound)
            look_at_backtrace(pg, p, &t[i]);
        else
            look_at_stack(pg, p, t[i].tid, t[i].ip, t[i].sp);
    const struct asleep *a = world_asleep(&n);
    for (size_t i = 0; i < n; i++)
        look_at_stack(pg, p, a[i].tid, a[i].pc, a[i].sp);
}
