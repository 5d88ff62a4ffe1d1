/* While main runs, hotld's control thread makes what later requests would
 * read: the image a debugger reads, the copies of the first version's
 * sources. A short program used to end only once that was done: its exit
 * waited for the image of a 29 MB object, 30 ms, when the program itself
 * took 5. Exit now cancels it, and the work checks between its steps:
 * each object, each piece of a file it reads.
 *
 * Only work inside background_begin/end is cut short: a reload that is
 * being served when exit comes is finished, as it must be whole, unless
 * it still waits for the threads to park (exit_begun): then nothing has
 * changed yet, and it fails, for the program is ending. */
#include "background.h"

#include <stdatomic.h>

static atomic_bool cancelled;
static _Thread_local bool in_background;

void background_begin(void)
{
    in_background = true;
}

void background_end(void)
{
    in_background = false;
}

void background_cancel(void)
{
    atomic_store(&cancelled, true);
}

bool background_cancelled(void)
{
    return in_background && atomic_load(&cancelled);
}

bool exit_begun(void)
{
    return atomic_load(&cancelled);
}
