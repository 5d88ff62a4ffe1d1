/* Version 2: same variables (same sizes) except g_resized, which grows to
 * int[2] and must be re-initialized to {50, 51}; new variables of every
 * kind (global, file static, function static) with their initial values;
 * mod_bump now adds 100. */
#include "rt.h"

int g_counter = 10;
static int s_file = 20;
static int twin = 2000;
int g_resized[2] = {50, 51};
int g_new = 77;
static int s_new = 88;

static int *fstatic(void)
{
    static int s_func = 30;
    return &s_func;
}

static int *fnew(void)
{
    static int s_fnew = 99;
    return &s_fnew;
}

int *mod_counter_ptr(void)
{
    return &g_counter;
}

void mod_bump(void)
{
    g_counter += 100;
    s_file += 100;
    *fstatic() += 100;
    twin += 100;
    g_resized[0] += 100;
    g_new += 1;
    s_new += 1;
    *fnew() += 1;
}

void mod_report(const char *tag)
{
    printf("%s mod_ver 2\n", tag);
    printf("%s counter %d %p\n", tag, g_counter, (void *)&g_counter);
    printf("%s file_static %d %p\n", tag, s_file, (void *)&s_file);
    printf("%s func_static %d %p\n", tag, *fstatic(), (void *)fstatic());
    printf("%s mod_twin %d %p\n", tag, twin, (void *)&twin);
    printf("%s resized %d %d\n", tag, g_resized[0], g_resized[1]);
    printf("%s new_global %d\n", tag, g_new);
    printf("%s new_file_static %d\n", tag, s_new);
    printf("%s new_func_static %d\n", tag, *fnew());
}
