/* A tiny game loop: spawn entities, then step physics and draw each frame.
 * Run it under hotld; rebuild physics.o while it runs and reload it. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine/engine.h"

struct entity entities[MAX_ENTITIES];
int entity_count;
/* Run with a third argument N, the game holds after frame N until this is
 * 0 again (hotld --print 'set held = 0'): a test can look at it and
 * reload it there, however slow the machine. */
volatile int held;

static void spawn(void)
{
    static const char glyphs[] = "@#*o+%&$";
    for (entity_count = 0; entity_count < 6; entity_count++) {
        struct entity *e = &entities[entity_count];
        e->pos = (struct vec2){rng_float(1, WORLD_W - 2), rng_float(1, WORLD_H - 2)};
        e->vel = (struct vec2){rng_float(-8, 8), rng_float(-4, 4)};
        e->glyph = glyphs[entity_count % 8];
    }
}

int main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 10;
    int delay_ms = argc > 2 ? atoi(argv[2]) : 0;
    int hold_at = argc > 3 ? atoi(argv[3]) : -1;
    spawn();
    for (int frame = 0; frames <= 0 || frame < frames; frame++) {
        physics_step(0.1f);
        render_frame(frame);
        for (held = frame == hold_at; held;)
            usleep(1000);
        if (delay_ms)
            usleep(delay_ms * 1000);
    }
    return 0;
}
