/* The plugin: built -shared, it reaches the host's symbols by name. */
extern int settings;
int host_scale(int x);
int host_gone(void);

int plugin_run(void) { return host_scale(settings); }
int plugin_gone(void) { return host_gone(); }
