/* The part a test edits: VALUE is given with -D. */
#ifndef VALUE
#define VALUE 1
#endif
#ifdef UNDEFINED
int nowhere(void);
#endif

int value(void)
{
#ifdef UNDEFINED
    return nowhere();
#else
    return VALUE;
#endif
}
