/* x86-64 instruction lengths, for two questions: where does the
 * instruction holding a RIP-relative displacement end? (The addend of its
 * relocation folds in the size of any immediate that follows the
 * displacement.) And where can control go from it (activeness.c)? */
#ifndef HOTLD_X86_64_INSN_H
#define HOTLD_X86_64_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the instruction at code (at most avail bytes), or -1 if it
 * cannot be decoded. */
int x86_insn_length(const uint8_t *code, size_t avail);

/* The same, also giving the offset of a RIP-relative displacement in the
 * instruction (-1 if it has none). */
int x86_insn_decode(const uint8_t *code, size_t avail, int *rip_disp);

/* Decoding from a function's first instruction, the end offset of the
 * instruction that contains offset `at`, or -1. */
int64_t x86_insn_end(const uint8_t *func, size_t size, size_t at);

/* Where control goes after an instruction of length len (decoded above). */
enum x86_flow {
    X86_NEXT,       /* the next instruction (calls included) */
    X86_JUMP,       /* *target only (a direct jmp) */
    X86_BRANCH,     /* the next instruction or *target (jcc, loop, jrcxz) */
    X86_LEAVE,      /* out of the function (ret, a tail call, ud2, hlt) */
    X86_UNKNOWN,    /* an indirect jump: anywhere */
};
/* target: the destination relative to the instruction's end. A rel32
 * jump whose displacement is 0 in an object file is a relocated one
 * (a tail call): X86_LEAVE. */
enum x86_flow x86_insn_flow(const uint8_t *code, int len, int64_t *target);

/* Does the instruction (of length len) only read its memory operand,
 * into a register or a comparison? False for anything that may write it
 * or take its address (lea, a store, read-modify-write), or not known. */
bool x86_insn_only_reads(const uint8_t *code, int len);

/* Does a call instruction end at end (with before readable bytes before
 * it)? What makes a stack word look like a return address. */
bool x86_call_ends_at(const uint8_t *end, size_t before);

#endif
