/* Thread-local variables defined here and used from main.c. */
#include <stdio.h>

__thread int shared_count = 10;
__thread char shared_name[16] = "unnamed";
_Thread_local long shared_zero[512];
static __thread char label[32] = "label";

int vars_bump(int by)
{
    shared_count += by;
    snprintf(label, sizeof label, "bumped by %d", by);
    return shared_count;
}

const char *vars_label(void)
{
    return label;
}
