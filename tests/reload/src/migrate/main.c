/* Never rebuilt: "play" plays a round, "q TAG" shows the state game.c
 * reports. */
#include "rt.h"

void play(void);
void show(const char *tag);

static void other(const char *line)
{
    if (!strcmp(line, "play"))
        play();
}

int main(void)
{
    return serve_queries(show, other);
}
