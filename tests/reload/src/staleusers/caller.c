/* Calls scale() and offset(), and reads tally and stats, as calc.h said
 * when it was built. */
#include "calc.h"
#include "rt.h"

RELOADABLE void answer(const char *tag)
{
#if VER >= 2
    int scaled = scale(21, 2);
#else
    int scaled = scale(21);
#endif
    printf("%s scale %d offset %ld tally %d hits %d\n", tag, scaled, offset(1), tally.n, stats.hits);
}
