/* x86-64 instruction lengths, for one question: where does the instruction
 * holding a RIP-relative displacement end? (The addend of its relocation
 * folds in the size of any immediate that follows the displacement.) */
#ifndef HOTLD_X86_INSN_H
#define HOTLD_X86_INSN_H

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

#endif
