#include "shared.h"

int value(void)
{
    return shared() + 1;
}
