/* x86-64 thread-local code sequences: recognizing the shapes compilers
 * emit for each TLS model, and rewriting them into local exec, as GNU ld
 * does for an executable. Pure: bytes and relocations in, bytes out. */
#ifndef HOTLD_X86_64_TLS_RELAX_H
#define HOTLD_X86_64_TLS_RELAX_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A section's bytes and relocations, as the matchers read them. */
struct x86_code {
    const uint8_t *data;        /* NULL: no bytes (SHT_NOBITS) */
    uint64_t size;
    const Elf64_Rela *relas;
    size_t nrelas;
};

/* A sequence to rewrite: where it starts relative to its TLSGD or TLSLD
 * relocation's field, and its length; length 0 if it is no known shape. */
struct tls_sequence {
    int start;
    size_t length;
};

struct tls_sequence x86_tls_gd_sequence(const struct x86_code *code, size_t i);
struct tls_sequence x86_tls_ld_sequence(const struct x86_code *code, size_t i);
/* The local-exec forms, written at the sequence's start p. General
 * dynamic leaves its x@tpoff field at p + TLS_GD_LE_TPOFF. */
#define TLS_GD_LE_TPOFF 12
void x86_tls_gd_to_le(uint8_t *p, size_t length);
void x86_tls_ld_to_le(uint8_t *p, size_t length);
/* REX.W, then op1 or op2, reading (%rip)+disp32 into a 64-bit register,
 * before relocation i's field. */
bool x86_tls_rip_operand(const struct x86_code *code, size_t i, uint8_t op1, uint8_t op2);
/* mov/add x@gottpoff(%rip),%reg: can become an immediate. */
bool x86_tls_ie_relaxable(const struct x86_code *code, size_t i);
/* The same instruction with an immediate instead of the memory operand
 * (mov, lea -> mov $imm; add -> add $imm). rex: its REX prefix. */
void x86_to_immediate(uint8_t *rex);
/* call *x@tlscall(%rax), and its replacement (a 2-byte NOP). */
bool x86_tls_desc_call_at(const struct x86_code *code, size_t i);
void x86_tls_desc_call_to_nop(uint8_t *loc);

#endif
