/* Never rebuilt: "q TAG" answers "TAG scale N offset N" (caller.c). */
#include "rt.h"

void answer(const char *tag);

int main(void)
{
    return serve_queries(answer, NULL);
}
