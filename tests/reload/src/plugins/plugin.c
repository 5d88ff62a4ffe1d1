/* The plugin: built -shared, it reaches the host's symbols by name (C++
 * names mangled); its own entry points are C's, for dlsym. */
#ifdef __cplusplus
#define ENTRY extern "C"
#else
#define ENTRY
#endif

extern int settings;
int host_scale(int x);
int host_gone(void);

ENTRY int plugin_run(void) { return host_scale(settings); }
ENTRY int plugin_gone(void) { return host_gone(); }
ENTRY void plugin_set(int v) { settings = v; }
