/* Built -fPIC: level and bump are reached through GOT loads
 * (R_X86_64_REX_GOTPCRELX, GOTPCRELX), which the link relaxes to direct
 * references since data.c defines them. main.o is never edited: when a
 * reload moves level, its relaxed loads must follow. */
#include "rt.h"

extern int level;
int bump(void);
int (*bump_address(void))(void);

static void answer(const char *tag)
{
    int seen_by_bump = bump();
    printf("%s level %d %d\n", tag, level, seen_by_bump);
    printf("%s same-bump %d\n", tag, bump_address() == bump);
}

int main(void)
{
    return serve_queries(answer, NULL);
}
