/* The part a test edits: VALUE is given with -D. */
#ifndef VALUE
#define VALUE 1
#endif
#ifdef UNDEFINED
int nowhere(void);
#endif
#ifdef POINTER_STATE
char *state; /* was an int: no value of it can follow */
#else
int state = 5;
#endif

int value(void)
{
#ifdef UNDEFINED
    return nowhere();
#else
    return VALUE;
#endif
}
