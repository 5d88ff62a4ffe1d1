#include <stdio.h>
#include <stdlib.h>
#include "ctors.h"

__attribute__((constructor(200))) static void b_ctor200(void) { trace("b ctor 200"); }
__attribute__((constructor(101))) static void b_ctor101(void) { trace("b ctor 101"); }
__attribute__((constructor)) static void b_ctor(void) { trace("b ctor"); }
__attribute__((destructor(200))) static void b_dtor200(void) { trace("b dtor 200"); }
__attribute__((destructor)) static void b_dtor(void) { trace("b dtor"); }

static void b_atexit(void) { trace("atexit registered by b ctor"); }
__attribute__((constructor)) static void b_ctor_registers(void)
{
    trace("b ctor registers atexit");
    atexit(b_atexit);
}

int deep_exit(int depth, int status)
{
    if (depth == 0) {
        printf("exit(%d) from depth 0\n", status);   /* still buffered: exit flushes */
        exit(status);
    }
    return deep_exit(depth - 1, status) + 1;
}
