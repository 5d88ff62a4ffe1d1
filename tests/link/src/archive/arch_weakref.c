#include <stdio.h>
__attribute__((constructor)) static void weakref_ctor(void) { puts("WRONG: arch_weakref.o was loaded"); }
void arch_weakref(void) {}
