/* A table-driven length decoder for x86-64 (legacy, REX, VEX and EVEX
 * encodings). It needs to know, per opcode, whether a ModRM byte follows
 * and how many immediate bytes end the instruction; operands themselves
 * are not decoded. */
#include "insn.h"

#include <stdbool.h>
#include <string.h>

enum { NONE = 0, M = 1 /* ModRM */, I1 = 2, I2 = 4, IZ = 8 /* 4, or 2 with 66 */,
       IV = 16 /* 8 with REX.W, else IZ */, I3 = 32 /* enter: iw+ib */,
       GRP3 = 64 /* F6/F7: immediate only for /0 and /1 */, MOFFS = 128, BAD = 256 };

/* One-byte opcodes, 16 per line. */
static const uint16_t one_byte[256] = {
    M, M, M, M, I1, IZ, BAD, BAD, M, M, M, M, I1, IZ, BAD, 0,
    M, M, M, M, I1, IZ, BAD, BAD, M, M, M, M, I1, IZ, BAD, BAD,
    M, M, M, M, I1, IZ, 0, BAD, M, M, M, M, I1, IZ, 0, BAD,
    M, M, M, M, I1, IZ, 0, BAD, M, M, M, M, I1, IZ, 0, BAD,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    BAD, BAD, BAD, M, 0, 0, 0, 0, IZ, M | IZ, I1, M | I1, 0, 0, 0, 0,
    I1, I1, I1, I1, I1, I1, I1, I1, I1, I1, I1, I1, I1, I1, I1, I1,
    M | I1, M | IZ, BAD, M | I1, M, M, M, M, M, M, M, M, M, M, M, M,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, BAD, 0, 0, 0, 0, 0,
    MOFFS, MOFFS, MOFFS, MOFFS, 0, 0, 0, 0, I1, IZ, 0, 0, 0, 0, 0, 0,
    I1, I1, I1, I1, I1, I1, I1, I1, IV, IV, IV, IV, IV, IV, IV, IV,
    M | I1, M | I1, I2, 0, BAD, BAD, M | I1, M | IZ, I3, 0, I2, 0, 0, I1, BAD, 0,
    M, M, M, M, BAD, BAD, BAD, 0, M, M, M, M, M, M, M, M,
    I1, I1, I1, I1, I1, I1, I1, I1, IZ, IZ, BAD, I1, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, M | GRP3, M | GRP3, 0, 0, 0, 0, 0, 0, M, M,
};

/* Two-byte opcodes (0F xx); 0F 38 and 0F 3A are handled apart. */
static const uint16_t two_byte[256] = {
    M, M, M, M, BAD, 0, 0, 0, 0, 0, BAD, 0, BAD, M, 0, M | I1,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    M, M, M, M, BAD, BAD, BAD, BAD, M, M, M, M, M, M, M, M,
    0, 0, 0, 0, 0, 0, BAD, 0, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    M | I1, M | I1, M | I1, M | I1, M, M, M, 0, M, M, M, M, M, M, M, M,
    IZ, IZ, IZ, IZ, IZ, IZ, IZ, IZ, IZ, IZ, IZ, IZ, IZ, IZ, IZ, IZ,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    0, 0, 0, M, M | I1, M, BAD, BAD, 0, 0, 0, M, M | I1, M, M, M,
    M, M, M, M, M, M, M, M, M, M, M | I1, M, M, M, M, M,
    M, M, M | I1, M, M | I1, M | I1, M | I1, M, 0, 0, 0, 0, 0, 0, 0, 0,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
};

/* Bytes taken by ModRM, SIB and displacement, or -1. */
static int modrm_length(const uint8_t *p, size_t avail, size_t at, int *rip_disp)
{
    if (avail < 1)
        return -1;
    int mod = p[0] >> 6, rm = p[0] & 7, n = 1;
    if (mod == 3)
        return 1;
    if (rm == 4) {
        if (avail < 2)
            return -1;
        n++;
        if (mod == 0 && (p[1] & 7) == 5)
            n += 4;
    }
    if (mod == 0 && rm == 5) {
        *rip_disp = (int)at + 1; /* RIP-relative: disp32 right after ModRM */
        n += 4;
    }
    else if (mod == 1)
        n += 1;
    else if (mod == 2)
        n += 4;
    return n;
}

static int immediate_size(uint16_t kind, bool opsize16, bool rex_w)
{
    int iz = opsize16 ? 2 : 4;
    if (kind & I1)
        return 1;
    if (kind & I2)
        return 2;
    if (kind & I3)
        return 3;
    if (kind & IZ)
        return iz;
    if (kind & IV)
        return rex_w ? 8 : iz;
    return 0; /* GRP3: decided by the caller, which knows the opcode */
}

/* VEX and EVEX: the map comes from the prefix; all take ModRM, map 3
 * (0F 3A) takes an immediate byte, and so do the 0F-map opcodes that take
 * one in their legacy form. */
static int vex_length(const uint8_t *p, size_t avail, size_t i, int prefix_len, int map,
                      int *rip_disp)
{
    if (avail < i + prefix_len + 2)
        return -1;
    uint8_t op = p[i + prefix_len];
    size_t at = i + prefix_len + 1;
    if (map == 1 && op == 0x77)
        return (int)at; /* vzeroupper / vzeroall */
    int m = modrm_length(p + at, avail - at, at, rip_disp);
    if (m < 0)
        return -1;
    int imm = map == 3 || (map == 1 && (two_byte[op] & I1)) ? 1 : 0;
    return (int)(at + m + imm);
}

int x86_insn_length(const uint8_t *p, size_t avail)
{
    int rip_disp;
    return x86_insn_decode(p, avail, &rip_disp);
}

int x86_insn_decode(const uint8_t *p, size_t avail, int *rip_disp)
{
    size_t i = 0;
    *rip_disp = -1;
    bool opsize16 = false, rex_w = false, addr32 = false;
    for (; i < avail && i < 14; i++) {
        uint8_t b = p[i];
        if (b == 0x66)
            opsize16 = true;
        else if (b == 0x67)
            addr32 = true;
        else if (!(b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 || b == 0x3e ||
                   b == 0x26 || b == 0x64 || b == 0x65))
            break;
    }
    if (i < avail && (p[i] & 0xf0) == 0x40) {
        rex_w = p[i] & 8;
        i++;
    }
    if (i >= avail)
        return -1;
    uint8_t b = p[i];
    if (b == 0xc5)
        return vex_length(p, avail, i, 2, 1, rip_disp);
    if (b == 0xc4)
        return i + 1 < avail ? vex_length(p, avail, i, 3, p[i + 1] & 0x1f, rip_disp) : -1;
    if (b == 0x62)
        return i + 1 < avail ? vex_length(p, avail, i, 4, p[i + 1] & 7, rip_disp) : -1;
    uint16_t kind;
    if (b == 0x0f) {
        if (++i >= avail)
            return -1;
        b = p[i];
        if (b == 0x38 || b == 0x3a) {
            kind = b == 0x3a ? (M | I1) : M;
            i++;
        } else {
            kind = two_byte[b];
        }
    } else {
        kind = one_byte[b];
        if (kind & MOFFS)
            return (int)(i + 1 + (addr32 ? 4 : 8)) <= (int)avail ? (int)(i + 1 + (addr32 ? 4 : 8)) : -1;
    }
    if (kind & BAD)
        return -1;
    i++;
    uint8_t modrm = 0;
    if (kind & M) {
        int m = modrm_length(p + i, avail - i, i, rip_disp);
        if (m < 0)
            return -1;
        modrm = p[i];
        i += m;
    }
    int imm = immediate_size(kind, opsize16, rex_w);
    if (kind & GRP3)
        imm = ((modrm >> 3) & 7) < 2 ? (b == 0xf6 ? 1 : (opsize16 ? 2 : 4)) : 0;
    if (imm < 0 || i + imm > avail)
        return -1;
    return (int)(i + imm);
}

int64_t x86_insn_end(const uint8_t *func, size_t size, size_t at)
{
    size_t off = 0;
    while (off < size) {
        int n = x86_insn_length(func + off, size - off);
        if (n <= 0)
            return -1;
        if (at < off + n)
            return off + n;
        off += n;
    }
    return -1;
}

static int32_t rel32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* Past the legacy prefixes (operand and address size, rep, branch
 * hints, bnd) and REX: where the opcode starts. */
static int opcode_at(const uint8_t *code, int len)
{
    int i = 0;
    while (i < len && (code[i] == 0x66 || code[i] == 0x67 || code[i] == 0xf2 || code[i] == 0xf3 ||
                       code[i] == 0x2e || code[i] == 0x3e || (code[i] & 0xf0) == 0x40))
        i++;
    return i;
}

enum x86_flow x86_insn_flow(const uint8_t *code, int len, int64_t *target)
{
    int i = opcode_at(code, len);
    if (i >= len)
        return X86_NEXT;
    uint8_t op = code[i];
    if (op == 0xeb || (op >= 0x70 && op <= 0x7f) || (op >= 0xe0 && op <= 0xe3)) {
        *target = (int8_t)code[len - 1];
        return op == 0xeb ? X86_JUMP : X86_BRANCH;
    }
    if (op == 0xe9 || (op == 0x0f && i + 1 < len && code[i + 1] >= 0x80 && code[i + 1] <= 0x8f)) {
        *target = rel32(code + len - 4);
        if (op == 0xe9 && *target == 0)
            return X86_LEAVE;
        return op == 0xe9 ? X86_JUMP : X86_BRANCH;
    }
    if (op == 0xc3 || op == 0xc2 || op == 0xf4 || (op == 0x0f && i + 1 < len && code[i + 1] == 0x0b))
        return X86_LEAVE;
    if (op == 0xff && i + 1 < len && (((code[i + 1] >> 3) & 7) == 4 || ((code[i + 1] >> 3) & 7) == 5))
        return X86_UNKNOWN;
    return X86_NEXT;
}

bool x86_call_ends_at(const uint8_t *end, size_t before)
{
    for (size_t k = 2; k <= 7 && k <= before; k++) {
        const uint8_t *c = end - k;
        size_t op = (c[0] & 0xf0) == 0x40 ? 1 : 0; /* a REX prefix */
        bool call = c[op] == 0xe8 || (c[op] == 0xff && op + 1 < k && ((c[op + 1] >> 3) & 7) == 2);
        if (call && x86_insn_length(c, k) == (int)k)
            return true;
    }
    return false;
}

bool x86_insn_only_reads(const uint8_t *code, int len)
{
    /* one-byte opcodes that read r/m into a register or compare it: add,
     * or, adc, sbb, and, sub, xor, cmp (r, r/m forms), cmp r/m, r, test,
     * movsxd, mov r, r/m */
    static const uint8_t reads[] = {0x02, 0x03, 0x0a, 0x0b, 0x12, 0x13, 0x1a, 0x1b, 0x22, 0x23, 0x2a, 0x2b,
                                    0x32, 0x33, 0x38, 0x39, 0x3a, 0x3b, 0x84, 0x85, 0x63, 0x8a, 0x8b};
    /* two-byte (0f) ones: movups/movss/movsd and movaps loads, ucomis,
     * comis, SSE arithmetic, movd/movq and movdqa/movdqu loads, imul,
     * movzx, movsx */
    static const uint8_t reads_0f[] = {0x10, 0x28, 0x2e, 0x2f, 0x51, 0x54, 0x58, 0x59, 0x5c, 0x5d, 0x5e,
                                       0x5f, 0x6e, 0x6f, 0xaf, 0xb6, 0xb7, 0xbe, 0xbf};
    int i = opcode_at(code, len);
    if (i >= len)
        return false;
    if (code[i] != 0x0f)
        return memchr(reads, code[i], sizeof reads) != NULL;
    return i + 1 < len && memchr(reads_0f, code[i + 1], sizeof reads_0f) != NULL;
}
