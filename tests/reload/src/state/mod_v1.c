/* Version 1 of mod.o's state: a global, a file static, a function static,
 * a static named like one in other.o, and g_resized (an int here, an
 * int[2] in version 2). mod_bump adds 1 to each. */
#include "rt.h"

int g_counter = 10;
static int s_file = 20;
static int twin = 2000;
int g_resized = 5;

static int *fstatic(void)
{
    static int s_func = 30;
    return &s_func;
}

int *mod_counter_ptr(void)
{
    return &g_counter;
}

void mod_bump(void)
{
    g_counter += 1;
    s_file += 1;
    *fstatic() += 1;
    twin += 1;
    g_resized += 1;
}

void mod_report(const char *tag)
{
    printf("%s mod_ver 1\n", tag);
    printf("%s counter %d %p\n", tag, g_counter, (void *)&g_counter);
    printf("%s file_static %d %p\n", tag, s_file, (void *)&s_file);
    printf("%s func_static %d %p\n", tag, *fstatic(), (void *)fstatic());
    printf("%s mod_twin %d %p\n", tag, twin, (void *)&twin);
    printf("%s resized %d\n", tag, g_resized);
}
