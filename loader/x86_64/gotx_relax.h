/* Relaxing GOT loads, as GNU ld does for an executable (psABI "Optimize
 * GOTPCRELX Relocations"): an instruction that reads a symbol's address
 * from its GOT slot, marked R_X86_64_GOTPCRELX or REX_GOTPCRELX, is
 * rewritten to reach the symbol directly when the linker knows the symbol
 * is in reach:
 *     mov  foo@GOTPCREL(%rip), %reg   ->  lea  foo(%rip), %reg
 *     call *foo@GOTPCREL(%rip)        ->  addr32 call foo
 *     jmp  *foo@GOTPCREL(%rip)        ->  jmp  foo; nop
 * Pure: an instruction's bytes in, its bytes out. */
#ifndef HOTLD_X86_64_GOTX_RELAX_H
#define HOTLD_X86_64_GOTX_RELAX_H

#include <stdbool.h>
#include <stdint.h>

enum x86_gotx_form { GOTX_KEEP, GOTX_LEA, GOTX_CALL, GOTX_JMP };

/* R_X86_64_GOTPCRELX or REX_GOTPCRELX: a field a linker may relax. */
bool x86_gotx_type(uint32_t type);

/* The relaxed form of the instruction whose disp32 field is at file[off]
 * (file: its section's bytes as compiled), or GOTX_KEEP if it has none:
 * not one of the three shapes, or an addend other than the field's own
 * -4. */
enum x86_gotx_form x86_gotx_form(const uint8_t *file, uint64_t off, int64_t addend);
/* Write the form f of that instruction at loc (the image's field), its
 * target disp bytes from the end of the 4-byte field (S + A - P, as for
 * R_X86_64_PC32). GOTX_KEEP puts the compiled opcode back (from file, the
 * bytes at the field) and leaves the field to the caller. False if disp
 * does not fit the relaxed form. */
bool x86_gotx_write(uint8_t *loc, const uint8_t *file, enum x86_gotx_form f, int64_t disp);
/* Was the instruction whose field is at loc relaxed: are its opcode bytes
 * no longer those compiled (file, at the field)? */
bool x86_gotx_relaxed(const uint8_t *loc, const uint8_t *file);

#endif
