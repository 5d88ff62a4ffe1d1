/* A plugin of interpose.c: its which() is the first definition in scope. */
const char *which(void);
const char *plugin_which(void) { return which(); }
