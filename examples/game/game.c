/* A tiny game loop: spawn entities, then step physics and draw each frame.
 * Run it under hotld; rebuild physics.o while it runs and reload it. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine/engine.h"

struct entity entities[MAX_ENTITIES];
int entity_count;

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
    spawn();
    for (int frame = 0; frames <= 0 || frame < frames; frame++) {
        physics_step(0.1f);
        render_frame(frame);
        if (delay_ms)
            usleep(delay_ms * 1000);
    }
    return 0;
}
