/* Binds: the places of a data section whose variables live elsewhere (a
 * reload keeps a variable's storage from an earlier version, or a
 * function's first address). Relocations that reach such a place through
 * the section symbol are moved by the bind's delta. A reload fills the
 * binds in (reload/databind.c, reload/funcaddr.c); the relocation pass and
 * the debug image read them. */
#include "insn.h"
#include "linker.h"
#include "util.h"

void add_bind(struct section *sec, uint64_t start, uint64_t end, int64_t delta)
{
    ARRAY_PUSH(sec->binds, sec->nbinds, sec->capbinds, ((struct var_bind){start, end, delta}));
}

/* For a RIP-relative displacement at `at` in code section `from`: the
 * distance from the displacement to the end of its instruction (4 plus
 * the immediate that follows), decoding the function that holds it; -1 if
 * unknown. */
static int64_t disp_to_end(const struct section *from, uint64_t at)
{
    size_t n;
    const struct func *f = object_functions(from->obj, &n);
    for (size_t i = 0; i < n; i++) {
        if (!f[i].bytes || f[i].bytes < from->data || f[i].bytes >= from->data + from->size)
            continue;
        uint64_t start = f[i].bytes - from->data;
        if (at < start || at >= start + f[i].size)
            continue;
        int64_t end = x86_insn_end(f[i].bytes, f[i].size, at - start);
        int64_t left = end - (int64_t)(at - start);
        return left == 4 || left == 5 || left == 6 || left == 8 ? left : -1;
    }
    return -1;
}

/* The byte offsets within its target section that relocation r (in
 * section from) may reach, relative to its symbol: exactly one, unless the
 * instruction around a RIP-relative displacement cannot be decoded. */
size_t reloc_target_offsets(const struct section *from, const Elf64_Rela *r, int64_t out[4])
{
    if (ELF64_R_TYPE(r->r_info) != R_X86_64_PC32) {
        out[0] = r->r_addend;
        return 1;
    }
    int64_t left = from->flags & SHF_EXECINSTR ? disp_to_end(from, r->r_offset) : 4;
    if (left > 0) {
        out[0] = r->r_addend + left;
        return 1;
    }
    static const int imm[4] = {0, 1, 2, 4};
    for (int i = 0; i < 4; i++)
        out[i] = r->r_addend + 4 + imm[i];
    return 4;
}

bool bind_delta_at(const struct section *sec, int64_t off, int64_t *delta)
{
    for (size_t j = 0; j < sec->nbinds; j++)
        if (off >= (int64_t)sec->binds[j].start && off < (int64_t)sec->binds[j].end) {
            *delta = sec->binds[j].delta;
            return true;
        }
    return false;
}

bool bind_delta_of_reloc(const struct section *from, const Elf64_Rela *r, const struct section *sec,
                    int64_t *delta)
{
    if ((sec->flags & SHF_EXECINSTR) && ELF64_R_TYPE(r->r_info) == R_X86_64_PLT32)
        return false; /* a call: straight to the new body */
    int64_t off[4];
    size_t n = reloc_target_offsets(from, r, off);
    for (size_t i = 0; i < n; i++)
        if (bind_delta_at(sec, off[i], delta))
            return true;
    return false;
}
