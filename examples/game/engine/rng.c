#include "engine.h"

/* xorshift32: deterministic, so every run of the demo draws the same world */
static unsigned rng_state = 2463534242u;

unsigned rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

float rng_float(float lo, float hi) { return lo + (hi - lo) * (rng_next() % 10000) / 10000.0f; }
