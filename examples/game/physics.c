#include "engine/engine.h"

/* Edit me while the game runs: change the gravity or the bounce. */
static float gravity = 9.8f;
static const float bounce = 0.9f;

void physics_step(float dt)
{
    for (int i = 0; i < entity_count; i++) {
        struct entity *e = &entities[i];
        e->vel.y += gravity * dt;
        e->pos = vec_add(e->pos, vec_scale(e->vel, dt));
        if (e->pos.x < 0 || e->pos.x >= WORLD_W - 1) {
            e->vel.x = -e->vel.x * bounce;
            e->pos.x = e->pos.x < 0 ? 0 : WORLD_W - 1.01f;
        }
        if (e->pos.y < 0 || e->pos.y >= WORLD_H - 1) {
            e->vel.y = -e->vel.y * bounce;
            e->pos.y = e->pos.y < 0 ? 0 : WORLD_H - 1.01f;
        }
    }
}
