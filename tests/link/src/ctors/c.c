#include "ctors.h"

__attribute__((constructor)) static void c_ctor(void) { trace("c ctor"); }
__attribute__((constructor(150))) static void c_ctor150(void) { trace("c ctor 150"); }
__attribute__((destructor)) static void c_dtor(void) { trace("c dtor"); }
__attribute__((destructor(150))) static void c_dtor150(void) { trace("c dtor 150"); }

/* Explicit .init_array / .fini_array entries, as older code writes them. */
static void c_init_array(void) { trace("c .init_array entry"); }
static void c_fini_array(void) { trace("c .fini_array entry"); }
__attribute__((section(".init_array"), used)) static void (*c_init_ptr)(void) = c_init_array;
__attribute__((section(".fini_array"), used)) static void (*c_fini_ptr)(void) = c_fini_array;
