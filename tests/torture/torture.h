/* For the generated torture programs (gen.py): the functions main calls
 * have C names in C++ too, and the registry's entries one type. */
#ifndef TORTURE_H
#define TORTURE_H

#ifdef __cplusplus
#define EXPORT extern "C"
#else
#define EXPORT
#endif

/* A registry built from a section: one entry per module, walked through
 * the bounds the linker gives the section. */
struct treg {
    const char *name;
    int value;
};
#ifdef __cplusplus
extern "C" {
#endif
extern const struct treg __start_treg[], __stop_treg[];
#ifdef __cplusplus
}
#endif
#define REGISTER(var) static const struct treg var __attribute__((section("treg"), used))

#endif
