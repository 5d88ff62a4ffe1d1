#include <stdio.h>
int duplicate_symbol(void) { return 1; }
int main(void)
{
    printf("ran with duplicate_symbol() = %d\n", duplicate_symbol());
    return 0;
}
