/* The code hotld writes itself: a jump at an old function's entry, and
 * a call stub that reaches any 64-bit address. */
#ifndef HOTLD_X86_64_JUMP_H
#define HOTLD_X86_64_JUMP_H

#include <stdbool.h>
#include <stdint.h>

#define JMP_SIZE 5          /* jmp rel32: what a reload writes at an old entry */
#define JMP_REL32 0xe9      /* its opcode */
#define STUB_SIZE 16        /* jmp *0(%rip); .quad target; int3; int3 */
#define STUB_TARGET 6       /* where in a stub its target is */

/* jmp rel32 from at to to, into out; false if to is out of its reach. */
bool x86_encode_jmp(uint8_t out[JMP_SIZE], uintptr_t at, uintptr_t to);
void x86_encode_stub(uint8_t out[STUB_SIZE], uint64_t target);

#endif
