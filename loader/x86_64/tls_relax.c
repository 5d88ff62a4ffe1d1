/* Thread-local code sequences on x86-64 and their relaxation to local
 * exec, as bytes (the shapes are described in loader/tls_relocate.c). */
#include "tls_relax.h"

#include <string.h>

static const uint8_t gd_lea[] = {0x66, 0x48, 0x8d, 0x3d};
static const uint8_t gd_call_plt[] = {0x66, 0x66, 0x48, 0xe8};
static const uint8_t gd_call_got[] = {0x66, 0x48, 0xff, 0x15};
static const uint8_t ld_lea[] = {0x48, 0x8d, 0x3d};
static const uint8_t mov_fs0_rax[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0};
static const uint8_t lea_rax_rax[] = {0x48, 0x8d, 0x80};
static const uint8_t desc_call[] = {0xff, 0x10};

/* Are the bytes at code[at, at + n) equal to want? */
static bool bytes_are(const struct x86_code *code, int64_t at, const uint8_t *want, size_t n)
{
    return code->data && at >= 0 && (uint64_t)at + n <= code->size && !memcmp(code->data + at, want, n);
}

/* The relocation of the __tls_get_addr call that must follow at `at`. */
static bool call_follows(const struct x86_code *code, size_t i, uint64_t at)
{
    if (i + 1 >= code->nrelas || code->relas[i + 1].r_offset != at)
        return false;
    uint32_t t = ELF64_R_TYPE(code->relas[i + 1].r_info);
    return t == R_X86_64_PLT32 || t == R_X86_64_PC32 || t == R_X86_64_GOTPCRELX ||
           t == R_X86_64_GOTPCREL || t == R_X86_64_PLTOFF64;
}

/* The large model's call: movabs $__tls_get_addr@pltoff,%rax;
 * add %REG,%rax; call *%rax, at `at`. */
static bool large_call_at(const struct x86_code *code, size_t i, int64_t at)
{
    if (!bytes_are(code, at, (const uint8_t[]){0x48, 0xb8}, 2) || !call_follows(code, i, at + 2) ||
        !bytes_are(code, at + 11, (const uint8_t[]){0x01}, 1) ||
        !bytes_are(code, at + 13, (const uint8_t[]){0xff, 0xd0}, 2))
        return false;
    uint8_t rex = code->data[at + 10], modrm = code->data[at + 12];
    return (rex == 0x48 || rex == 0x4c) && (modrm & 0xc7) == 0xc0;
}

struct tls_sequence x86_tls_gd_sequence(const struct x86_code *code, size_t i)
{
    int64_t off = (int64_t)code->relas[i].r_offset;
    if (bytes_are(code, off - 4, gd_lea, sizeof gd_lea) && call_follows(code, i, off + 8) &&
        (bytes_are(code, off + 4, gd_call_plt, sizeof gd_call_plt) ||
         bytes_are(code, off + 4, gd_call_got, sizeof gd_call_got)))
        return (struct tls_sequence){-4, 16};
    if (bytes_are(code, off - 3, ld_lea, sizeof ld_lea) && large_call_at(code, i, off + 4))
        return (struct tls_sequence){-3, 22};
    return (struct tls_sequence){0, 0};
}

/* Local dynamic: 12 bytes with a direct call, 13 with an indirect one, 22
 * in the large model. */
struct tls_sequence x86_tls_ld_sequence(const struct x86_code *code, size_t i)
{
    int64_t off = (int64_t)code->relas[i].r_offset;
    if (!bytes_are(code, off - 3, ld_lea, sizeof ld_lea))
        return (struct tls_sequence){0, 0};
    if (bytes_are(code, off + 4, (const uint8_t[]){0xe8}, 1) && call_follows(code, i, off + 5))
        return (struct tls_sequence){-3, 12};
    if (bytes_are(code, off + 4, (const uint8_t[]){0xff, 0x15}, 2) && call_follows(code, i, off + 6))
        return (struct tls_sequence){-3, 13};
    if (large_call_at(code, i, off + 4))
        return (struct tls_sequence){-3, 22};
    return (struct tls_sequence){0, 0};
}

/* n bytes of NOPs, in the longest forms (Intel's recommended ones). */
static void fill_nops(uint8_t *p, size_t n)
{
    static const uint8_t nops[9][9] = {
        {0x90}, {0x66, 0x90}, {0x0f, 0x1f, 0x00}, {0x0f, 0x1f, 0x40, 0x00},
        {0x0f, 0x1f, 0x44, 0x00, 0x00}, {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x0f, 0x1f, 0x80, 0, 0, 0, 0}, {0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0},
        {0x66, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0},
    };
    while (n) {
        size_t k = n < 9 ? n : 9;
        memcpy(p, nops[k - 1], k);
        p += k;
        n -= k;
    }
}

/* REX.W, then one of the opcodes, reading (%rip)+disp32 into a 64-bit
 * register: mov/add for x@gottpoff, lea for x@tlsdesc. */
bool x86_tls_rip_operand(const struct x86_code *code, size_t i, uint8_t op1, uint8_t op2)
{
    int64_t off = (int64_t)code->relas[i].r_offset;
    if (!code->data || off < 3 || (uint64_t)off > code->size)
        return false;
    const uint8_t *p = code->data + off - 3;
    return (p[0] == 0x48 || p[0] == 0x4c) && (p[1] == op1 || p[1] == op2) && (p[2] & 0xc7) == 0x05;
}

bool x86_tls_ie_relaxable(const struct x86_code *code, size_t i)
{
    return x86_tls_rip_operand(code, i, 0x8b, 0x03);
}

/* The same instruction with an immediate instead of the memory operand
 * (mov, lea -> mov $imm; add -> add $imm). p: its REX prefix. */
void x86_to_immediate(uint8_t *p)
{
    uint8_t reg = (p[2] >> 3) & 7;
    if (p[0] == 0x4c)
        p[0] = 0x49;            /* the register moves from ModRM.reg to ModRM.rm */
    p[1] = p[1] == 0x03 ? 0x81 : 0xc7;
    p[2] = 0xc0 | reg;
}


void x86_tls_gd_to_le(uint8_t *p, size_t length)
{
    memcpy(p, mov_fs0_rax, sizeof mov_fs0_rax);
    memcpy(p + 9, lea_rax_rax, sizeof lea_rax_rax);
    fill_nops(p + 16, length - 16);
}

/* Operand-size prefixes, which the mov ignores, make up the length as GNU
 * ld does: one instruction decodes faster than a mov and a NOP in a hot
 * loop. Beyond four prefixes (slow to decode), NOPs follow. */
void x86_tls_ld_to_le(uint8_t *p, size_t length)
{
    size_t prefixes = length - 9 < 4 ? length - 9 : 4;
    memset(p, 0x66, prefixes);
    memcpy(p + prefixes, mov_fs0_rax, sizeof mov_fs0_rax);
    fill_nops(p + prefixes + 9, length - 9 - prefixes);
}

bool x86_tls_desc_call_at(const struct x86_code *code, size_t i)
{
    return bytes_are(code, (int64_t)code->relas[i].r_offset, desc_call, sizeof desc_call);
}

void x86_tls_desc_call_to_nop(uint8_t *loc)
{
    memcpy(loc, (const uint8_t[]){0x66, 0x90}, 2);
}
