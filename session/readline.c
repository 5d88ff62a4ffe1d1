/* readline is opened by --repl only. Every other hotld command, and each
 * reload runs one, started by mapping it and its terminfo library: a
 * tenth of a millisecond each time, for a prompt it never shows. */
#include "readline.h"

#include <dlfcn.h>

#include "util.h"

#define LIBRARY "libreadline.so.8"

static bool find(void *lib, const char *name, void *slot)
{
    void *p = dlsym(lib, name);
    if (!p)
        fail("%s: no symbol %s", LIBRARY, name);
    *(void **)slot = p;
    return p != NULL;
}

static bool find_all(void *lib, struct readline_lib *rl)
{
    return find(lib, "readline", &rl->readline) && find(lib, "add_history", &rl->add_history) &&
           find(lib, "read_history", &rl->read_history) && find(lib, "write_history", &rl->write_history) &&
           find(lib, "history_truncate_file", &rl->history_truncate_file) &&
           find(lib, "rl_completion_matches", &rl->completion_matches) &&
           find(lib, "rl_readline_name", &rl->readline_name) &&
           find(lib, "rl_attempted_completion_function", &rl->attempted_completion_function) &&
           find(lib, "rl_basic_word_break_characters", &rl->basic_word_break_characters) &&
           find(lib, "rl_attempted_completion_over", &rl->attempted_completion_over) &&
           find(lib, "rl_line_buffer", &rl->line_buffer);
}

const struct readline_lib *readline_lib(void)
{
    static struct readline_lib rl;
    static bool opened;
    if (opened)
        return &rl;
    void *lib = dlopen(LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return fail("%s", dlerror()), NULL;
    if (!find_all(lib, &rl)) {
        dlclose(lib);
        return NULL;
    }
    opened = true;
    return &rl;
}
