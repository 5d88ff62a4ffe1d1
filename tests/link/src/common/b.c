int shared_arr[16];       /* the bigger common */
int shared_scalar;
int mixed = 1234;
int guard_after[4];       /* common too: must not overlap shared_arr */
int big_common[30000];    /* smaller here: a.c's 40000 wins */

int *b_arr_addr(void) { return shared_arr; }
int *b_scalar_addr(void) { return &shared_scalar; }
int *b_big_addr(void) { return big_common; }
void b_fill(void)
{
    for (int i = 0; i < 16; i++) shared_arr[i] = i * 3;
    int s = 0;
    for (int i = 0; i < 16; i++) s += shared_arr[i];
    shared_arr[0] = s;
    big_common[0] = 9;
}
