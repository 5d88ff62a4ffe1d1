/* The library of interpose.c: it defines which() as well, and reads the
 * program's variable. */
extern int app_level;
const char *which(void) { return "library"; }
const char *lib_which(void) { return which(); }
int lib_level(void) { return app_level; }
