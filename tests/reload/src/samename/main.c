/* Never rebuilt. At start it keeps what first() and second() name
 * themselves by (their __func__); "c" counts once in each; "q TAG"
 * answers with both counts and both kept names. */
#include "rt.h"

int first(void);
int second(void);
const char *first_name(void);
const char *second_name(void);

static const char *kept_first, *kept_second;
static int last_first, last_second;

static void answer(const char *tag)
{
    printf("%s counts %d %d\n", tag, last_first, last_second);
    printf("%s names %s %s\n", tag, kept_first, kept_second);
}

static void command(const char *line)
{
    if (line[0] == 'c') {
        last_first = first();
        last_second = second();
    }
}

int main(void)
{
    kept_first = first_name();
    kept_second = second_name();
    return serve_queries(answer, command);
}
