/* Common symbols (-fcommon) with different sizes in two objects: the
 * linker must allocate the largest size. */
#include <stdio.h>

int shared_arr[4];        /* common, 16 bytes here, 64 bytes in b.c */
int shared_scalar;        /* common in both */
int mixed;                /* common here, initialized definition in b.c */
double only_here;         /* common only in this object */
int big_common[40000];    /* > 64 KiB: LARGE_COMMON under -mcmodel=medium */

int *b_arr_addr(void);
int *b_scalar_addr(void);
void b_fill(void);
int *b_big_addr(void);
extern int guard_after[4];

int main(void)
{
    printf("same array: %d, same scalar: %d\n", shared_arr == b_arr_addr(), &shared_scalar == b_scalar_addr());
    printf("same big common: %d\n", big_common == b_big_addr());
    big_common[39999] = 5;
    printf("initial: %d %d %d %g\n", shared_arr[0], shared_scalar, mixed, only_here);
    for (int i = 0; i < 4; i++) guard_after[i] = 7;
    b_fill();
    shared_scalar = 5;
    only_here = 0.5;
    int sum = 0;
    for (int i = 0; i < 4; i++) sum += shared_arr[i];
    printf("sum of first 4 = %d, guard intact: %d %d %d %d\n", sum,
           guard_after[0], guard_after[1], guard_after[2], guard_after[3]);
    printf("big_common ends: %d %d\n", big_common[0], big_common[39999]);
    printf("mixed = %d, scalar = %d, only_here = %g\n", mixed, shared_scalar, only_here);
    return 0;
}
