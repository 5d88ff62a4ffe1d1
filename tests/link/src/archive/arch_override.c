#include <stdio.h>
void no_such_function_either(void);
__attribute__((constructor)) static void override_ctor(void) { puts("WRONG: arch_override.o was loaded"); }
const char *arch_override(void) { no_such_function_either(); return "archive's arch_override"; }
