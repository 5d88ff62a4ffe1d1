/* x86-64 relocation types (psABI, "Relocation Types") as arithmetic: what
 * each computes from the values the linker gives it, how wide its field
 * is, and whether the result fits. Pure: no linker records, no memory but
 * the field written. Notation: S symbol, A addend, P place, GOT the
 * image's GOT, G a slot's offset in it, L the symbol's call stub (or its
 * call address without one), Z the symbol's size. */
#ifndef HOTLD_X86_64_RELOC_H
#define HOTLD_X86_64_RELOC_H

#include <stdbool.h>
#include <stdint.h>

/* The name of a type hotld knows, or NULL. */
const char *x86_reloc_name(uint32_t type);
/* Bytes patched: 0 for none, -1 for a type hotld does not apply. */
int x86_reloc_width(uint32_t type);
/* Why hotld refuses a type it knows, or NULL if it applies it. */
const char *x86_reloc_refused(uint32_t type);
bool x86_reloc_is_abs32(uint32_t type);
/* R_X86_64_CODE_{4,5,6}_GOTTPOFF: initial exec from an APX instruction,
 * always through its GOT slot (never rewritten). */
bool x86_reloc_is_apx_gottpoff(uint32_t type);
bool x86_reloc_is_tls(uint32_t type);
bool x86_reloc_needs_got(uint32_t type);
/* A 32-bit field that may not reach a shared-library or undefined-weak
 * target: the linker gives the symbol a stub to fall back on. */
bool x86_reloc_may_need_stub(uint32_t type);
/* Z is read (R_X86_64_SIZE*). */
bool x86_reloc_uses_size(uint32_t type);

struct x86_reloc_args {
    uint64_t S, A, P, GOT, G, L, Z;
    uint64_t call;              /* where calls to S go (PLT32), S if same */
};

/* How a field's value must fit its width. */
enum x86_fit { FIT_ANY, FIT_SIGNED, FIT_UNSIGNED, FIT_EITHER };

/* One relocation's result, before it is written. */
struct x86_field {
    int width;                  /* bytes; 0: nothing to write */
    enum x86_fit fit;
    uint64_t value;
    bool stub_may_stand_in;     /* via_stub reaches the same target */
    uint64_t via_stub;          /* the value through the symbol's stub */
};

/* The psABI calculation of a plain (not thread-local) relocation; false
 * if hotld does not apply that type. */
bool x86_reloc_compute(uint32_t type, const struct x86_reloc_args *a, struct x86_field *out);
bool x86_field_fits(const struct x86_field *f, uint64_t value);
/* Write the low width bytes of value, little-endian. */
void x86_field_store(uint8_t *loc, uint64_t value, int width);
/* A 32-bit signed field: false if v does not fit. */
bool x86_store_s32(uint8_t *loc, int64_t v);

#endif
