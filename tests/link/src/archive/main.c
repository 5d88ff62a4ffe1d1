/* Linked against libarch.a (members arch_*.c). Only needed members may be
 * loaded: the unused ones have constructors that print, and references to
 * symbols nobody defines. */
#include <stdio.h>

const char *arch_entry(int x);          /* arch_entry.c -> arch_helper.c -> arch_leaf.c */
extern const int arch_table[4];         /* arch_data.c */
const char *arch_override(void);        /* defined here AND in arch_override.c */
extern void arch_weakref(void) __attribute__((weak));   /* arch_weakref.c: never pulled */

const char *arch_override(void) { return "main.o's arch_override"; }

int main(void)
{
    printf("%s\n", arch_entry(5));
    printf("table: %d %d %d %d\n", arch_table[0], arch_table[1], arch_table[2], arch_table[3]);
    printf("override: %s\n", arch_override());
    printf("weak reference to archive-only symbol: %s\n", arch_weakref ? "pulled (WRONG)" : "null");
    return 0;
}
