#include "engine.h"

#include <math.h>

struct vec2 vec_add(struct vec2 a, struct vec2 b) { return (struct vec2){a.x + b.x, a.y + b.y}; }
struct vec2 vec_scale(struct vec2 a, float s) { return (struct vec2){a.x * s, a.y * s}; }
float vec_length(struct vec2 a) { return sqrtf(a.x * a.x + a.y * a.y); }
