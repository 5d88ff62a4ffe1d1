/* A valid program; the bad inputs are patched copies of its object. */
#include <stdio.h>
int helper(int x);
int counter = 1;
int main(void)
{
    printf("hello %d\n", helper(counter));
    return 0;
}
