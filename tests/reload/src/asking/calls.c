/* Functions to call from hotld --call: one that never returns, one that
 * sleeps in a system call, and one that version 2 changes; and a loop for
 * a program thread whose back edge (at -O0: right after push %rbp; mov
 * %rsp,%rbp) comes into the first 5 bytes, where a reload writes a jump. */
#include <unistd.h>
#include "rt.h"

volatile long spins, loops;

/* Version 3 narrows it: its value does not fit, a conflict to ask about. */
#if VER == 3
int wide;
#else
long wide = 1L << 40;
#endif

RELOADABLE void spin(void)
{
    spins = 0; /* the loop starts past the first 5 bytes */
    for (;;)
        spins++;
}

RELOADABLE void loop_at_entry(void)
{
    for (;;)
        loops++;
}

RELOADABLE int snooze(int seconds)
{
    sleep((unsigned)seconds);
    return seconds;
}

RELOADABLE int add(int a, int b)
{
    return a + b + (VER - 1) * 1000;
}
