/* Frames that go on in old code. A reload sends the callers of a changed
 * function to its new body, but a frame already inside the old body runs
 * on there until it returns: a loop that never returns (main's, a
 * thread's) never sees the edit. With the threads parked, each thread's
 * outermost frame of program code is found; when it is in the old body of
 * a function the reload changes, the report says so (report.c), since
 * "2 functions changed" and nothing visible happening is a silent
 * failure to the user.
 *
 * A parked thread's stack is read word by word (stacks.c), not unwound:
 * unwinding every thread on every reload costs too much with thousands of
 * threads, and needs the unwinder's locks. A word counts as a frame only
 * if it points into program code just after a call instruction, so data
 * such as a function pointer is not taken for one. Inner frames in old
 * code (a thread caught in a callee of its loop) are not told: they
 * return soon, to code that calls the new version. */
#include <sys/types.h>
#include <unistd.h>

#include "insn.h"
#include "jump.h"
#include "plan.h"
#include "stacks.h"
#include "stopworld.h"

static bool in_program_code(const struct program *pg, uintptr_t pc, uintptr_t *segment_start)
{
    for (size_t g = pg->ngens; g-- > 0;) {
        const struct image *im = pg->gens[g]->image;
        if (pc >= im->seg_start[SEG_TEXT] && pc < im->seg_end[SEG_TEXT]) {
            *segment_start = im->seg_start[SEG_TEXT];
            return true;
        }
    }
    return false;
}

/* A return address into program code? */
static bool is_program_return(uintptr_t word, const void *program)
{
    uintptr_t start;
    return in_program_code(program, word, &start) && x86_call_ends_at((const uint8_t *)word, word - start);
}

/* The changed function whose old body holds pc, past the jump at its
 * entry (which sends a frame starting there to the new body). */
static const struct redirect *old_body_at(const struct plan *p, uintptr_t pc)
{
    for (size_t i = 0; i < p->nredirects; i++) {
        const struct redirect *r = &p->redirects[i];
        if (pc >= r->at + JMP_SIZE && pc < r->at + r->size)
            return r;
    }
    return NULL;
}

static void note_thread(struct plan *p, pid_t tid, uintptr_t pc, bool returns_to)
{
    const struct redirect *r = old_body_at(p, pc);
    if (r && p->nrunning < RUNNING_OLD_TOLD)
        p->running[p->nrunning++] = (struct running_old){r, pc, returns_to, tid};
}

/* A thread stopped at ip with its stack at sp: its outermost program
 * frame is the last return address into program code, or, with none, the
 * code it was stopped in. */
static void look_at_stack(const struct program *pg, struct plan *p, pid_t tid, uintptr_t ip, uintptr_t sp)
{
    uintptr_t outer = stack_find_last(sp, is_program_return, pg), start;
    if (outer)
        note_thread(p, tid, outer, true);
    else if (in_program_code(pg, ip, &start))
        note_thread(p, tid, ip, false);
}

void find_running_old_code_here(const struct program *pg, struct plan *p)
{
    struct parked self;
    uintptr_t start, outer = 0;
    p->nrunning = 0;
    world_backtrace_self(&self);
    for (unsigned f = 1; f < self.nframes; f++)
        if (in_program_code(pg, self.frames[f], &start))
            outer = self.frames[f];
    if (outer)
        note_thread(p, gettid(), outer, true);
}

void find_running_old_code(const struct program *pg, struct plan *p)
{
    size_t n;
    const struct parked *t = world_parked(&n);
    for (size_t i = 0; i < n; i++)
        look_at_stack(pg, p, t[i].tid, t[i].ip, t[i].sp);
    const struct asleep *a = world_asleep(&n);
    for (size_t i = 0; i < n; i++)
        look_at_stack(pg, p, a[i].tid, a[i].pc, a[i].sp);
}
