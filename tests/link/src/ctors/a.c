/* Constructors/destructors with priorities in several objects, atexit
 * handlers, and exit() from deep inside a call chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctors.h"

static int seq;
void trace(const char *who) { printf("%2d %s\n", ++seq, who); }

__attribute__((constructor(101))) static void a_ctor101(void) { trace("a ctor 101"); }
__attribute__((constructor(200))) static void a_ctor200(void) { trace("a ctor 200"); }
__attribute__((constructor)) static void a_ctor(void) { trace("a ctor"); }
__attribute__((constructor)) static void a_ctor_second(void) { trace("a ctor second"); }
__attribute__((destructor(101))) static void a_dtor101(void) { trace("a dtor 101"); }
__attribute__((destructor(200))) static void a_dtor200(void) { trace("a dtor 200"); }
__attribute__((destructor)) static void a_dtor(void) { trace("a dtor"); }

static void at_exit_1(void) { trace("atexit 1 (registered first in main)"); }
static void at_exit_2(void) { trace("atexit 2 (registered second in main)"); }

int main(int argc, char **argv)
{
    trace("main start");
    atexit(at_exit_1);
    atexit(at_exit_2);
    if (argc > 1 && strcmp(argv[1], "return") == 0) {
        trace("main returns 5");
        return 5;
    }
    trace("main calls deep_exit");
    deep_exit(12, 7);
    trace("not reached");
    return 0;
}
