#include "shared.h"

int other(void)
{
    return shared() + 2;
}
