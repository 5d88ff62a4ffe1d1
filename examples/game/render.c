#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"

void render_frame(int frame)
{
    char grid[WORLD_H][WORLD_W + 1];
    for (int y = 0; y < WORLD_H; y++) {
        memset(grid[y], '.', WORLD_W);
        grid[y][WORLD_W] = 0;
    }
    float energy = 0;
    for (int i = 0; i < entity_count; i++) {
        const struct entity *e = &entities[i];
        grid[(int)e->pos.y][(int)e->pos.x] = e->glyph;
        energy += vec_length(e->vel);
    }
    if (isatty(STDOUT_FILENO))
        fputs("\033[H\033[2J", stdout); /* animate in place on a terminal */
    printf("frame %d  entities %d  speed %.1f\n", frame, entity_count, energy);
    for (int y = 0; y < WORLD_H; y++)
        puts(grid[y]);
    fflush(stdout);
}
