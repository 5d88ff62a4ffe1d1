#include <stdio.h>
void no_such_function_anywhere(void);
__attribute__((constructor)) static void unused_ctor(void) { puts("WRONG: arch_unused.o was loaded"); }
void arch_unused(void) { no_such_function_anywhere(); }
