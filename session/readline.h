/* GNU readline, opened when --repl first needs it (readline.c). */
#ifndef HOTLD_READLINE_H
#define HOTLD_READLINE_H

#include <stdio.h>
#include <readline/history.h>
#include <readline/readline.h>

struct readline_lib {
    char *(*readline)(const char *prompt);
    void (*add_history)(const char *line);
    int (*read_history)(const char *path);
    int (*write_history)(const char *path);
    int (*history_truncate_file)(const char *path, int lines);
    char **(*completion_matches)(const char *text, rl_compentry_func_t *next);
    const char **readline_name;
    rl_completion_func_t **attempted_completion_function;
    const char **basic_word_break_characters;
    int *attempted_completion_over;
    char **line_buffer;
};

/* NULL, with fail(), if the library cannot be opened. */
const struct readline_lib *readline_lib(void);

#endif
