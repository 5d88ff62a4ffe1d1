/* x86-64 relocation arithmetic (psABI, "Relocation Types"). */
#include "reloc.h"

#include <elf.h>
#include <string.h>

#include "psabi.h"
#include "util.h"

static const struct {
    const char *name;
    int8_t width;      /* bytes patched; 0 = nothing */
} types[] = {
    [R_X86_64_NONE] = {"R_X86_64_NONE", 0},
    [R_X86_64_64] = {"R_X86_64_64", 8},
    [R_X86_64_PC32] = {"R_X86_64_PC32", 4},
    [R_X86_64_GOT32] = {"R_X86_64_GOT32", 4},
    [R_X86_64_PLT32] = {"R_X86_64_PLT32", 4},
    [R_X86_64_GOTPCREL] = {"R_X86_64_GOTPCREL", 4},
    [R_X86_64_32] = {"R_X86_64_32", 4},
    [R_X86_64_32S] = {"R_X86_64_32S", 4},
    [R_X86_64_16] = {"R_X86_64_16", 2},
    [R_X86_64_PC16] = {"R_X86_64_PC16", 2},
    [R_X86_64_8] = {"R_X86_64_8", 1},
    [R_X86_64_PC8] = {"R_X86_64_PC8", 1},
    [R_X86_64_PC64] = {"R_X86_64_PC64", 8},
    [R_X86_64_GOTOFF64] = {"R_X86_64_GOTOFF64", 8},
    [R_X86_64_GOTPC32] = {"R_X86_64_GOTPC32", 4},
    [R_X86_64_GOT64] = {"R_X86_64_GOT64", 8},
    [R_X86_64_GOTPCREL64] = {"R_X86_64_GOTPCREL64", 8},
    [R_X86_64_GOTPC64] = {"R_X86_64_GOTPC64", 8},
    [R_X86_64_GOTPLT64] = {"R_X86_64_GOTPLT64", 8},
    [R_X86_64_PLTOFF64] = {"R_X86_64_PLTOFF64", 8},
    [R_X86_64_SIZE32] = {"R_X86_64_SIZE32", 4},
    [R_X86_64_SIZE64] = {"R_X86_64_SIZE64", 8},
    [R_X86_64_GOTPCRELX] = {"R_X86_64_GOTPCRELX", 4},
    [R_X86_64_REX_GOTPCRELX] = {"R_X86_64_REX_GOTPCRELX", 4},
    [R_X86_64_DTPMOD64] = {"R_X86_64_DTPMOD64", 8},
    [R_X86_64_DTPOFF64] = {"R_X86_64_DTPOFF64", 8},
    [R_X86_64_TPOFF64] = {"R_X86_64_TPOFF64", 8},
    [R_X86_64_TLSGD] = {"R_X86_64_TLSGD", 4},
    [R_X86_64_TLSLD] = {"R_X86_64_TLSLD", 4},
    [R_X86_64_DTPOFF32] = {"R_X86_64_DTPOFF32", 4},
    [R_X86_64_GOTTPOFF] = {"R_X86_64_GOTTPOFF", 4},
    [R_X86_64_TPOFF32] = {"R_X86_64_TPOFF32", 4},
    [R_X86_64_GOTPC32_TLSDESC] = {"R_X86_64_GOTPC32_TLSDESC", 4},
    [R_X86_64_TLSDESC_CALL] = {"R_X86_64_TLSDESC_CALL", 0},
    [R_X86_64_CODE_4_GOTPCRELX] = {"R_X86_64_CODE_4_GOTPCRELX", 4},
    [R_X86_64_CODE_4_GOTTPOFF] = {"R_X86_64_CODE_4_GOTTPOFF", 4},
    [R_X86_64_CODE_4_GOTPC32_TLSDESC] = {"R_X86_64_CODE_4_GOTPC32_TLSDESC", 4},
    [R_X86_64_CODE_5_GOTPCRELX] = {"R_X86_64_CODE_5_GOTPCRELX", 4},
    [R_X86_64_CODE_5_GOTTPOFF] = {"R_X86_64_CODE_5_GOTTPOFF", 4},
    [R_X86_64_CODE_5_GOTPC32_TLSDESC] = {"R_X86_64_CODE_5_GOTPC32_TLSDESC", 4},
    [R_X86_64_CODE_6_GOTPCRELX] = {"R_X86_64_CODE_6_GOTPCRELX", 4},
    [R_X86_64_CODE_6_GOTTPOFF] = {"R_X86_64_CODE_6_GOTTPOFF", 4},
    [R_X86_64_CODE_6_GOTPC32_TLSDESC] = {"R_X86_64_CODE_6_GOTPC32_TLSDESC", 4},
};

const char *x86_reloc_name(uint32_t type)
{
    return type < ARRAY_SIZE(types) ? types[type].name : NULL;
}

int x86_reloc_width(uint32_t type)
{
    return x86_reloc_name(type) ? types[type].width : -1;
}

const char *x86_reloc_refused(uint32_t type)
{
    switch (type) {
    case R_X86_64_CODE_4_GOTPC32_TLSDESC: case R_X86_64_CODE_5_GOTPC32_TLSDESC:
    case R_X86_64_CODE_6_GOTPC32_TLSDESC:
        /* hotld rewrites descriptor sequences into local or initial
         * exec, and has no rewriting for APX-prefixed ones */
        return "a TLS descriptor in an APX instruction is not supported; rebuild with "
               "-mtls-dialect=gnu (the default)";
    default:
        return NULL;
    }
}

bool x86_reloc_is_apx_gottpoff(uint32_t type)
{
    return type == R_X86_64_CODE_4_GOTTPOFF || type == R_X86_64_CODE_5_GOTTPOFF ||
           type == R_X86_64_CODE_6_GOTTPOFF;
}

bool x86_reloc_is_abs32(uint32_t type)
{
    return type == R_X86_64_32 || type == R_X86_64_32S;
}

bool x86_reloc_is_tls(uint32_t type)
{
    switch (type) {
    case R_X86_64_DTPMOD64: case R_X86_64_DTPOFF64: case R_X86_64_TPOFF64:
    case R_X86_64_TLSGD: case R_X86_64_TLSLD: case R_X86_64_DTPOFF32:
    case R_X86_64_GOTTPOFF: case R_X86_64_TPOFF32: case R_X86_64_GOTPC32_TLSDESC:
    case R_X86_64_TLSDESC_CALL: case R_X86_64_CODE_4_GOTTPOFF: case R_X86_64_CODE_5_GOTTPOFF:
    case R_X86_64_CODE_6_GOTTPOFF: case R_X86_64_CODE_4_GOTPC32_TLSDESC:
    case R_X86_64_CODE_5_GOTPC32_TLSDESC: case R_X86_64_CODE_6_GOTPC32_TLSDESC:
        return true;
    default:
        return false;
    }
}

bool x86_reloc_needs_got(uint32_t type)
{
    switch (type) {
    case R_X86_64_GOT32: case R_X86_64_GOTPCREL: case R_X86_64_GOTPCRELX:
    case R_X86_64_REX_GOTPCRELX: case R_X86_64_GOT64: case R_X86_64_GOTPCREL64:
    case R_X86_64_GOTPLT64: case R_X86_64_CODE_4_GOTPCRELX: case R_X86_64_CODE_5_GOTPCRELX:
    case R_X86_64_CODE_6_GOTPCRELX:
        return true;
    default:
        return false;
    }
}

bool x86_reloc_may_need_stub(uint32_t type)
{
    return type == R_X86_64_PLT32 || type == R_X86_64_PC32 || x86_reloc_is_abs32(type);
}

bool x86_reloc_uses_size(uint32_t type)
{
    return type == R_X86_64_SIZE32 || type == R_X86_64_SIZE64;
}

static struct x86_field field(int width, enum x86_fit fit, uint64_t value)
{
    return (struct x86_field){width, fit, value, false, value};
}

/* A 32-bit field a stub can stand in for: its value through L. */
static struct x86_field stubbed(enum x86_fit fit, uint64_t value, uint64_t via_stub)
{
    return (struct x86_field){4, fit, value, true, via_stub};
}

bool x86_reloc_compute(uint32_t type, const struct x86_reloc_args *a, struct x86_field *out)
{
    uint64_t S = a->S, A = a->A, P = a->P, GOT = a->GOT, G = a->G, L = a->L, Z = a->Z;
    switch (type) {
    case R_X86_64_NONE: *out = field(0, FIT_ANY, 0); return true;
    case R_X86_64_64: *out = field(8, FIT_ANY, S + A); return true;
    case R_X86_64_PC64: *out = field(8, FIT_ANY, S + A - P); return true;
    case R_X86_64_PC32: *out = stubbed(FIT_SIGNED, S + A - P, L + A - P); return true;
    case R_X86_64_PLT32: *out = stubbed(FIT_SIGNED, a->call + A - P, L + A - P); return true;
    case R_X86_64_32: *out = stubbed(FIT_UNSIGNED, S + A, L + A); return true;
    case R_X86_64_32S: *out = stubbed(FIT_SIGNED, S + A, L + A); return true;
    case R_X86_64_GOT32: *out = field(4, FIT_SIGNED, G + A); return true;
    case R_X86_64_GOTPCREL:
    case R_X86_64_GOTPCRELX:
    case R_X86_64_REX_GOTPCRELX:
    case R_X86_64_CODE_4_GOTPCRELX: /* APX forms: never relaxed, the slot is read */
    case R_X86_64_CODE_5_GOTPCRELX:
    case R_X86_64_CODE_6_GOTPCRELX: *out = field(4, FIT_SIGNED, GOT + G + A - P); return true;
    case R_X86_64_GOTPC32: *out = field(4, FIT_SIGNED, GOT + A - P); return true;
    case R_X86_64_SIZE32: *out = field(4, FIT_UNSIGNED, Z + A); return true;
    case R_X86_64_GOTOFF64: *out = field(8, FIT_ANY, S + A - GOT); return true;
    case R_X86_64_GOT64:
    case R_X86_64_GOTPLT64: *out = field(8, FIT_ANY, G + A); return true;
    case R_X86_64_GOTPCREL64: *out = field(8, FIT_ANY, GOT + G + A - P); return true;
    case R_X86_64_GOTPC64: *out = field(8, FIT_ANY, GOT + A - P); return true;
    case R_X86_64_PLTOFF64: *out = field(8, FIT_ANY, L + A - GOT); return true;
    case R_X86_64_SIZE64: *out = field(8, FIT_ANY, Z + A); return true;
    case R_X86_64_16: *out = field(2, FIT_EITHER, S + A); return true;
    case R_X86_64_8: *out = field(1, FIT_EITHER, S + A); return true;
    case R_X86_64_PC16: *out = field(2, FIT_SIGNED, S + A - P); return true;
    case R_X86_64_PC8: *out = field(1, FIT_SIGNED, S + A - P); return true;
    }
    return false;
}

static bool fits_signed(int64_t v, int bits)
{
    return v >= -(1ll << (bits - 1)) && v < (1ll << (bits - 1));
}

static bool fits_unsigned(uint64_t v, int bits)
{
    return v < (1ull << bits);
}

bool x86_field_fits(const struct x86_field *f, uint64_t value)
{
    int bits = f->width * 8;
    switch (f->fit) {
    case FIT_ANY: return true;
    case FIT_SIGNED: return fits_signed((int64_t)value, bits);
    case FIT_UNSIGNED: return fits_unsigned(value, bits);
    case FIT_EITHER: break;
    }
    return fits_signed((int64_t)value, bits) || fits_unsigned(value, bits);
}

void x86_field_store(uint8_t *loc, uint64_t value, int width)
{
    memcpy(loc, &value, width); /* little-endian: the low bytes */
}

bool x86_store_s32(uint8_t *loc, int64_t v)
{
    if (!fits_signed(v, 32))
        return false;
    x86_field_store(loc, (uint64_t)v, 4);
    return true;
}
