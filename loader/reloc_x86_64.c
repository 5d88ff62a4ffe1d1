/* x86-64 relocations (psABI, "Relocation Types"), applied to the image
 * while it is still writable. Notation: S symbol, A addend, P place,
 * GOT the image's GOT, G a slot's offset in it, L the call target (a stub
 * when S is out of rel32 reach), Z the symbol's size. */
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

#include "linker.h"
#include "util.h"

static const struct {
    const char *name;
    int8_t width;      /* bytes patched; 0 = nothing, -1 = unsupported */
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
};

int reloc_width(uint32_t type)
{
    if (type >= ARRAY_SIZE(types) || !types[type].name)
        return -1;
    return types[type].width;
}

bool reloc_is_abs32(uint32_t type)
{
    return type == R_X86_64_32 || type == R_X86_64_32S;
}

bool reloc_needs_got(uint32_t type)
{
    switch (type) {
    case R_X86_64_GOT32: case R_X86_64_GOTPCREL: case R_X86_64_GOTPCRELX:
    case R_X86_64_REX_GOTPCRELX: case R_X86_64_GOT64: case R_X86_64_GOTPCREL64:
    case R_X86_64_GOTPLT64:
        return true;
    default:
        return false;
    }
}

/* Relocations whose 32-bit field may not reach a shared-library or
 * undefined-weak target: calls go through a stub, and so do 32-bit
 * references to library functions. */
bool reloc_may_need_stub(uint32_t type)
{
    return type == R_X86_64_PLT32 || type == R_X86_64_PC32 || reloc_is_abs32(type);
}

static bool fits_signed(int64_t v, int bits)
{
    return v >= -(1ll << (bits - 1)) && v < (1ll << (bits - 1));
}

static bool fits_unsigned(uint64_t v, int bits)
{
    return v < (1ull << bits);
}

static void store(uint8_t *loc, uint64_t v, int width)
{
    memcpy(loc, &v, width); /* little-endian: the low bytes */
}

struct reloc {
    struct link *ld;
    struct section *sec;
    const Elf64_Rela *r;
    struct symbol *sym;
    uint32_t type;
};

static const char *symbol_name(const struct reloc *c)
{
    if (c->sym->type == STT_SECTION && c->sym->sec)
        return c->sym->sec->name;
    return c->sym->name;
}

/* The library a DSO symbol really lives in (dlsym may have found it
 * through a dependency of the library we asked). */
static const char *defining_library(const struct symbol *s)
{
    Dl_info info;
    if (s->kind != SYM_DSO)
        return NULL;
    return dladdr((void *)s->addr, &info) && info.dli_fname ? info.dli_fname : s->dso;
}

static int out_of_range(const struct reloc *c, uint64_t value)
{
    const char *hint = "";
    if (c->ld->low)
        hint = ": objects built with -fno-pie must sit below 2 GiB, far from shared-library "
               "code and data; rebuild with -fPIE (the default) or -fPIC";
    else if (reloc_is_abs32(c->type))
        hint = ": the object was built with -fno-pie; rebuild it with -fPIE or -fPIC";
    const char *lib = defining_library(c->sym);
    return fail("%s: section '%s' offset 0x%lx: %s against '%s'%s%s out of range (value 0x%lx)%s",
                c->sec->obj->name, c->sec->name, (unsigned long)c->r->r_offset,
                types[c->type].name, symbol_name(c), lib ? " in " : "", lib ? lib : "",
                (unsigned long)value, hint);
}

struct code_search {
    uintptr_t addr;
    bool in_code;
};

static int find_code_segment(struct dl_phdr_info *info, size_t size, void *data)
{
    struct code_search *q = data;
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const Elf64_Phdr *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && q->addr >= start && q->addr < start + ph->p_memsz) {
            q->in_code = ph->p_flags & PF_X;
            return 1;
        }
    }
    return 0;
}

/* Is the DSO symbol at addr a function (so that a stub can stand in)?
 * Its address is in a library's code: dlsym gives an IFUNC's choice,
 * which need not have a symbol of its own (memcpy's does not). */
static bool is_dso_function(const struct symbol *s)
{
    struct code_search q = {s->addr, false};
    return s->kind == SYM_DSO && dl_iterate_phdr(find_code_segment, &q) && q.in_code;
}

/* Z: a library symbol's size comes from its dynamic symbol table. */
static uint64_t symbol_size(const struct reloc *c)
{
    const Elf64_Sym *es = NULL;
    Dl_info info;
    if (c->sym->kind != SYM_DSO)
        return c->sym->size;
    if (dladdr1((void *)c->sym->addr, &info, (void **)&es, RTLD_DL_SYMENT) && es)
        return es->st_size;
    return 0;
}

static uintptr_t stub_address(const struct reloc *c)
{
    return c->ld->image->stubs + (uintptr_t)c->sym->stub * 16;
}

/* Write a 32-bit field, switching to the symbol's stub if the direct value
 * does not fit and a stub can stand in for the target. */
static int store32(const struct reloc *c, uint8_t *loc, uint64_t value, uint64_t via_stub,
                   bool is_signed)
{
    if (is_signed ? fits_signed((int64_t)value, 32) : fits_unsigned(value, 32)) {
        store(loc, value, 4);
        return 0;
    }
    bool stub_ok = c->sym->stub >= 0 &&
                   (c->type == R_X86_64_PLT32 || c->sym->kind == SYM_UNDEF ||
                    c->sym->kind == SYM_EXTERNAL || c->sym->type == STT_GNU_IFUNC ||
                    is_dso_function(c->sym));
    if (stub_ok && (is_signed ? fits_signed((int64_t)via_stub, 32) : fits_unsigned(via_stub, 32))) {
        store(loc, via_stub, 4);
        return 0;
    }
    return out_of_range(c, value);
}

/* S, moved for a section symbol whose target variable kept its storage
 * from an earlier version of the object. */
static uint64_t symbol_value(const struct reloc *c)
{
    int64_t delta = 0;
    const struct section *sec = c->sym->sec;
    if (c->sym->type == STT_SECTION && sec && sec->nbinds)
        databind_delta(c->sec, c->r, sec, &delta);
    return c->sym->addr + delta;
}

/* An FDE (or its LSDA pointer) may refer to code of a COMDAT group kept
 * in another object. GNU ld drops such FDEs; here the FDE stays but gets
 * an empty address range, which no unwinder matches. at: offset of the
 * relocated field in the .eh_frame section. */
static void disable_fde(const struct reloc *c)
{
    const struct section *s = c->sec;
    uint8_t *bytes = image_bytes(c->ld->image, s->addr);
    uint64_t at = c->r->r_offset, rec = 0;
    while (rec + 8 <= s->size) {
        uint32_t len;
        memcpy(&len, bytes + rec, 4);
        if (len == 0 || len == 0xffffffff || rec + 4 + len > s->size)
            return;
        if (at < rec + 4 + len) {
            uint32_t zero = 0;
            if (rec + 16 <= s->size && rec + 16 <= rec + 4 + len)
                memcpy(bytes + rec + 12, &zero, 4); /* pc_range (sdata4) */
            memcpy(bytes + at, &zero, 4);
            return;
        }
        rec += 4 + len;
    }
}

static bool is_eh_frame(const struct section *s)
{
    return s->type == SHT_X86_64_UNWIND || !strcmp(s->name, ".eh_frame");
}

static int apply(const struct reloc *c)
{
    if (c->sym->sec && c->sym->sec->discarded && is_eh_frame(c->sec)) {
        disable_fde(c);
        return 0;
    }
    struct image *im = c->ld->image;
    uint64_t S = symbol_value(c), A = c->r->r_addend, P = c->sec->addr + c->r->r_offset;
    uint64_t GOT = im->got, G = (uint64_t)c->sym->got * 8;
    uint64_t call = c->sym->call_addr ? c->sym->call_addr : S;
    uint64_t L = c->sym->stub >= 0 ? stub_address(c) : call;
    uint8_t *loc = image_bytes(im, P);

    switch (c->type) {
    case R_X86_64_NONE: return 0;
    case R_X86_64_64: store(loc, S + A, 8); return 0;
    case R_X86_64_PC64: store(loc, S + A - P, 8); return 0;
    case R_X86_64_PC32: return store32(c, loc, S + A - P, L + A - P, true);
    case R_X86_64_PLT32: return store32(c, loc, call + A - P, L + A - P, true);
    case R_X86_64_32: return store32(c, loc, S + A, L + A, false);
    case R_X86_64_32S: return store32(c, loc, S + A, L + A, true);
    case R_X86_64_GOT32: return store32(c, loc, G + A, G + A, true);
    case R_X86_64_GOTPCREL:
    case R_X86_64_GOTPCRELX:
    case R_X86_64_REX_GOTPCRELX: return store32(c, loc, GOT + G + A - P, GOT + G + A - P, true);
    case R_X86_64_GOTPC32: return store32(c, loc, GOT + A - P, GOT + A - P, true);
    case R_X86_64_SIZE32: return store32(c, loc, symbol_size(c) + A, symbol_size(c) + A, false);
    case R_X86_64_GOTOFF64: store(loc, S + A - GOT, 8); return 0;
    case R_X86_64_GOT64:
    case R_X86_64_GOTPLT64: store(loc, G + A, 8); return 0;
    case R_X86_64_GOTPCREL64: store(loc, GOT + G + A - P, 8); return 0;
    case R_X86_64_GOTPC64: store(loc, GOT + A - P, 8); return 0;
    case R_X86_64_PLTOFF64: store(loc, L + A - GOT, 8); return 0;
    case R_X86_64_SIZE64: store(loc, symbol_size(c) + A, 8); return 0;
    case R_X86_64_16:
    case R_X86_64_8:
    case R_X86_64_PC16:
    case R_X86_64_PC8: {
        int bits = types[c->type].width * 8;
        bool pc = c->type == R_X86_64_PC16 || c->type == R_X86_64_PC8;
        uint64_t v = S + A - (pc ? P : 0);
        if (pc ? !fits_signed((int64_t)v, bits) : !fits_unsigned(v, bits) && !fits_signed((int64_t)v, bits))
            return out_of_range(c, v);
        store(loc, v, bits / 8);
        return 0;
    }
    }
    return fail("%s: section '%s': relocation type %u is not supported", c->sec->obj->name,
                c->sec->name, c->type);
}

static bool in_pass(const struct link *ld, const struct reloc *c, enum reloc_pass pass)
{
    switch (pass) {
    case RELOC_ALL: return true;
    case RELOC_TLS: return reloc_is_tls(c->type);
    case RELOC_IFUNC: return !reloc_is_tls(c->type) && is_own_ifunc(ld, c->sym);
    case RELOC_PLAIN: break;
    }
    return !reloc_is_tls(c->type) && !is_own_ifunc(ld, c->sym);
}

/* Apply the relocations of sec that belong to pass; a first pass marks
 * the section if it left some for a later one. */
int relocate_section(struct link *ld, struct section *sec, enum reloc_pass pass)
{
    struct reloc c = {.ld = ld, .sec = sec};
    for (size_t i = 0; i < sec->nrelas; i++) {
        c.r = &sec->relas[i];
        c.type = ELF64_R_TYPE(c.r->r_info);
        c.sym = sec->obj->syms[ELF64_R_SYM(c.r->r_info)];
        if (!in_pass(ld, &c, pass)) {
            sec->deferred = true;
            continue;
        }
        if (pass == RELOC_IFUNC && (sec->flags & SHF_TLS))
            return fail("%s: section '%s': a thread-local initializer refers to IFUNC '%s'",
                        sec->obj->name, sec->name, c.sym->name);
        if (reloc_is_tls(c.type) ? relocate_tls(ld, sec, &i) < 0 : apply(&c) < 0)
            return -1;
    }
    return 0;
}

void add_got(struct link *ld, struct symbol *sym, enum got_kind kind)
{
    if (sym && kind != GOT_DTPMOD && kind != GOT_DTPOFF)
        sym->got = (int32_t)ld->ngot;
    ARRAY_PUSH(ld->got, ld->ngot, ld->capgot, ((struct got_entry){sym, kind}));
}

uint64_t got_value(const struct link *ld, const struct got_entry *e)
{
    struct tls_place at = {0};
    switch (e->kind) {
    case GOT_ADDR: return e->sym->addr;
    case GOT_OWN_DTPMOD: return tls_own_block(ld, &at), at.modid;
    case GOT_ZERO: return 0;
    case GOT_TPOFF:
    case GOT_DTPMOD:
    case GOT_DTPOFF: break;
    }
    tls_locate(e->sym->addr, &at);
    return e->kind == GOT_TPOFF ? (uint64_t)at.tpoff : e->kind == GOT_DTPMOD ? at.modid : at.dtpoff;
}
