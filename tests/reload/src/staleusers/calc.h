/* What main.c and calc.c agree on, at version VER. */
#if VER >= 2
int scale(int x, int by);       /* version 2: a parameter added */
#else
int scale(int x);
#endif
long offset(int x);             /* the same in both versions */

struct tally {                  /* version 2: a field in front */
#if VER >= 2
    int first;
#endif
    int n;
};
struct stats {                  /* version 2: a field at the end */
    int hits;
#if VER >= 2
    int misses;
#endif
};
extern struct tally tally;
extern struct stats stats;
