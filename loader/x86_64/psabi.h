/* Constants of the x86-64 psABI that not every elf.h has. */
#ifndef HOTLD_X86_64_PSABI_H
#define HOTLD_X86_64_PSABI_H

/* -mcmodel=medium's large common symbols. */
#ifndef SHN_X86_64_LCOMMON
#define SHN_X86_64_LCOMMON 0xff02
#endif

#endif
