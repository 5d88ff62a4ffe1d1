void trace(const char *who);   /* a.c: prints and counts */
int deep_exit(int depth, int status);  /* b.c */
