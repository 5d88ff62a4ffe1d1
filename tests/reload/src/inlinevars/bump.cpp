/* Edited: each version adds VER to the program's state. */
#include "counters.h"

RELOADABLE int bump()
{
    counter() += VER;
    total += VER;
    Registry<int>::entries += VER;
    weak_level += VER;
    return opaque_int(VER);
}
