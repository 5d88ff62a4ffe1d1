/* Which generation's code holds an address. Every word of every parked
 * thread's stack is asked at each reload: a walk over the generations
 * made that a hundred reloads' program spend a third of its reload there.
 * The text segments of every generation, sorted by start. A generation
 * is added during the commit, with the threads parked (one may hold
 * malloc's lock): room for it is made before. */
#include "program.h"
#include "util.h"

void program_text_reserve(struct program *pg)
{
    grow_array((void **)&pg->text, &pg->captext, pg->ntext + 1, sizeof *pg->text);
}

void program_text_add(struct program *pg, const struct image *im)
{
    uintptr_t start = im->seg_start[SEG_TEXT], end = im->seg_end[SEG_TEXT];
    if (start == end)
        return;
    size_t i = pg->ntext++;
    for (; i > 0 && pg->text[i - 1].start > start; i--)
        pg->text[i] = pg->text[i - 1];
    pg->text[i] = (struct text_span){start, end, im};
}

const struct image *program_text_at(const struct program *pg, uintptr_t pc)
{
    size_t below = COUNT_STARTING_UPTO(pg->text, pg->ntext, start, pc);
    return below > 0 && pc < pg->text[below - 1].end ? pg->text[below - 1].image : NULL;
}
