/* Calls into a thin archive whose members include two files named
 * part.o (from a/ and b/): each must be found as ld finds it. */
#include <stdio.h>
int part_a(void);
int part_b(void);
int lone(void);
int main(void)
{
    printf("%d %d %d\n", part_a(), part_b(), lone());
    return 0;
}
