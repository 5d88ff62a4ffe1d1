/* Edited back and forth: -DVER is the version, -DCOUNTER_TYPE the kept
 * counter's type (a version with another type migrates it). Its value
 * calls into other.c, so a version brought back calls other.c's newest
 * code. The string literal and the static function live in this object's
 * own image, which a version brought back uses again. */
#include "rt.h"

#ifndef COUNTER_TYPE
#define COUNTER_TYPE long
#endif

int other_value(void);

COUNTER_TYPE counter = 0;
static const char *names[] = {"zero", "one", "two", "three", "four"};

static int name_length(int v)
{
    return (int)strlen(names[v % 5]);
}

long mod_tick(void)
{
    return ++counter;
}

RELOADABLE int mod_value(void)
{
    return VER * 1000 + name_length(VER) * 100 + other_value();
}

void *mod_counter_addr(void)
{
    return &counter;
}
