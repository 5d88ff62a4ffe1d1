/* A registry built by the linker: each file puts its commands in the
 * section "cmds", and the program walks them from __start_cmds to
 * __stop_cmds (as test frameworks, plugin tables and command lists do). */
struct cmd {
    const char *name;
    int (*run)(void);
};
#define COMMAND(id, text, fn) \
    __attribute__((used, section("cmds"), aligned(16))) const struct cmd cmd_##id = {text, fn}
extern const struct cmd __start_cmds[], __stop_cmds[];
