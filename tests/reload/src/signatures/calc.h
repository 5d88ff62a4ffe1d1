/* What main.c and calc.c agree on, at version VER. */
#if VER >= 2
int scale(int x, int by);       /* version 2: a parameter added */
#else
int scale(int x);
#endif
long offset(int x);             /* the same in both versions */
