/* main.c is itself reloaded: its main loop never returns, so after a reload
 * the old main keeps running and calls the static functions of its own
 * file (local_ver, report), which must now run their new versions. */
#include "rt.h"

int mod_f(void);
void *mod_addr(void);
int user_call(void);
int user_call_saved(void);
void *user_saved_addr(void);

RELOADABLE static void local_ver(const char *tag)
{
    printf("%s local %d\n", tag, VER);
}

RELOADABLE static void report(const char *tag)
{
    printf("%s main %d\n", tag, VER);
    printf("%s direct %d\n", tag, mod_f());
    printf("%s from_user %d\n", tag, user_call());
    printf("%s saved_global %d\n", tag, user_call_saved());
    printf("%s addr_f %p\n", tag, (void *)&mod_f);
    printf("%s addr_f_mod %p\n", tag, mod_addr());
    printf("%s addr_saved %p\n", tag, user_saved_addr());
    printf("%s addr_local %p\n", tag, (void *)&local_ver);
}

int main(void)
{
    /* Taken before any reload and kept in this (old) frame; volatile so the
     * call below stays an indirect call at -O2. */
    int (*volatile saved)(void) = mod_f;
    char line[256];
    const char *tag;
    setvbuf(stdout, NULL, _IOLBF, 0);
    puts("ready");
    while (next_command(line, sizeof line)) {
        if ((tag = query_tag(line))) {
            local_ver(tag);
            report(tag);
            printf("%s saved_local %d\n", tag, saved());
            printf("%s end\n", tag);
        } else if (!strcmp(line, "quit")) {
            break;
        }
    }
    return 0;
}
