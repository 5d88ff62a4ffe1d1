/* tests/gdb/chunks.sh: a line of input, an answer through a.c, b.c, c.c */
#include <stdio.h>

int f_a(int x);

/* where gdb stops after each answer */
__attribute__((noinline)) void on_line(int n)
{
    __asm__ volatile("" ::"r"(n) : "memory");
}

int main(void)
{
    char line[64];
    int n = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (fgets(line, sizeof line, stdin)) {
        n++;
        printf("line %d: %d\n", n, f_a(n));
        on_line(n);
    }
    return 0;
}
