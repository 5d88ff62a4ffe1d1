/* Version 1: b_value returns 100 + the number of earlier calls.
 * Version 2 changes b_value (now + 1000 * b_extra()), adds the function
 * b_extra and the variable b_bonus, and keeps b_state: exactly "1 changed,
 * 1 added, 0 removed" functions and "0 reset, 1 new" variables.
 * Version 3 changes b_extra only. */
int b_state = 100;

#if VER >= 2
int b_bonus = 7;

int b_extra(void)
{
    return b_bonus + (VER - 2);
}
#endif

int b_value(void)
{
#if VER == 1
    return b_state++;
#else
    return b_state++ + 1000 * b_extra();
#endif
}
