#ifndef ENGINE_H
#define ENGINE_H

struct vec2 { float x, y; };

struct vec2 vec_add(struct vec2 a, struct vec2 b);
struct vec2 vec_scale(struct vec2 a, float s);
float vec_length(struct vec2 a);
unsigned rng_next(void);
float rng_float(float lo, float hi);

#define WORLD_W 48
#define WORLD_H 12
#define MAX_ENTITIES 16

struct entity { struct vec2 pos, vel; char glyph; };

extern struct entity entities[MAX_ENTITIES];
extern int entity_count;

void physics_step(float dt);
void render_frame(int frame);

#endif
