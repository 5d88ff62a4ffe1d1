extern int settings;
int host_twice(int);
int plugin_run(void) { return host_twice(settings); }
