/* Constants of the x86-64 psABI that not every elf.h has. */
#ifndef HOTLD_X86_64_PSABI_H
#define HOTLD_X86_64_PSABI_H

/* -mcmodel=medium's large common symbols. */
#ifndef SHN_X86_64_LCOMMON
#define SHN_X86_64_LCOMMON 0xff02
#endif

/* APX: GOT references from instructions with a REX2 prefix (CODE_4) or an
 * EVEX prefix (CODE_5, CODE_6); the instruction starts 4, 5 or 6 bytes
 * before the field. The arithmetic is that of the same types without the
 * prefix. */
#ifndef R_X86_64_CODE_4_GOTPCRELX
#define R_X86_64_CODE_4_GOTPCRELX 43
#define R_X86_64_CODE_4_GOTTPOFF 44
#define R_X86_64_CODE_4_GOTPC32_TLSDESC 45
#define R_X86_64_CODE_5_GOTPCRELX 46
#define R_X86_64_CODE_5_GOTTPOFF 47
#define R_X86_64_CODE_5_GOTPC32_TLSDESC 48
#define R_X86_64_CODE_6_GOTPCRELX 49
#define R_X86_64_CODE_6_GOTTPOFF 50
#define R_X86_64_CODE_6_GOTPC32_TLSDESC 51
#endif

#endif
