/* GOT loads rewritten to reach their symbol directly (gotx_relax.h). The
 * compiled bytes are kept beside the image's, so the same field can be
 * relaxed, or put back, again when a reload moves the symbol. */
#include <elf.h>
#include <string.h>

#include "gotx_relax.h"
#include "reloc.h"

#define MODRM_RIP 0x05          /* mod 00, r/m 101: disp32(%rip) */
#define OP_MOV_LOAD 0x8b
#define OP_LEA 0x8d
#define OP_GROUP5 0xff          /* /2 call, /4 jmp */
#define MODRM_CALL_RIP 0x15
#define MODRM_JMP_RIP 0x25
#define OP_ADDR32 0x67
#define OP_CALL_REL32 0xe8
#define OP_JMP_REL32 0xe9
#define OP_NOP 0x90

bool x86_gotx_type(uint32_t type)
{
    return type == R_X86_64_GOTPCRELX || type == R_X86_64_REX_GOTPCRELX;
}

enum x86_gotx_form x86_gotx_form(const uint8_t *file, uint64_t off, int64_t addend)
{
    if (off < 2 || addend != -4)
        return GOTX_KEEP;
    uint8_t op = file[off - 2], modrm = file[off - 1];
    if (op == OP_MOV_LOAD && (modrm & 0xc7) == MODRM_RIP)
        return GOTX_LEA;
    if (op == OP_GROUP5 && modrm == MODRM_CALL_RIP)
        return GOTX_CALL;
    if (op == OP_GROUP5 && modrm == MODRM_JMP_RIP)
        return GOTX_JMP;
    return GOTX_KEEP;
}

bool x86_gotx_relaxed(const uint8_t *loc, const uint8_t *file)
{
    return memcmp(loc - 2, file - 2, 2) != 0;
}

bool x86_gotx_write(uint8_t *loc, const uint8_t *file, enum x86_gotx_form f, int64_t disp)
{
    switch (f) {
    case GOTX_KEEP:
        memcpy(loc - 2, file - 2, 2);
        return true;
    case GOTX_LEA:
        if (!x86_store_s32(loc, disp))
            return false;
        loc[-2] = OP_LEA;
        loc[-1] = file[-1];
        return true;
    case GOTX_CALL:
        if (!x86_store_s32(loc, disp))
            return false;
        loc[-2] = OP_ADDR32;
        loc[-1] = OP_CALL_REL32;
        return true;
    case GOTX_JMP: /* one byte shorter: it starts at the opcode, a nop pads */
        if (!x86_store_s32(loc - 1, disp + 1))
            return false;
        loc[-2] = OP_JMP_REL32;
        loc[3] = OP_NOP;
        return true;
    }
    return false;
}
