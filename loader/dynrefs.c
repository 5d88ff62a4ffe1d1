/* What a loaded shared library's dynamic relocations name: each relocation
 * against a symbol the library does not define, read from its dynamic
 * section in memory (ld.so's tables, mapped). Who needs the program's
 * exported symbols (exports.c), and where a library holds their addresses
 * (reload/pluginrefs.c). */
#include <link.h>
#include <string.h>

#include "linker.h"

/* A d_ptr of a library's dynamic section: ld.so relocates most in place,
 * not all (an offset is below the library's base). */
static uintptr_t dyn_address(uintptr_t base, uint64_t v)
{
    return v < base ? base + v : v;
}

void library_each_reference(const Elf64_Dyn *dynamic, uintptr_t base, library_ref_fn *fn, void *ctx)
{
    const Elf64_Sym *syms = NULL;
    const char *strs = NULL;
    const Elf64_Rela *rela[2] = {NULL, NULL};
    size_t nrela[2] = {0, 0};
    for (const Elf64_Dyn *d = dynamic; d && d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_SYMTAB: syms = (const Elf64_Sym *)dyn_address(base, d->d_un.d_ptr); break;
        case DT_STRTAB: strs = (const char *)dyn_address(base, d->d_un.d_ptr); break;
        case DT_RELA: rela[0] = (const Elf64_Rela *)dyn_address(base, d->d_un.d_ptr); break;
        case DT_RELASZ: nrela[0] = d->d_un.d_val / sizeof(Elf64_Rela); break;
        case DT_JMPREL: rela[1] = (const Elf64_Rela *)dyn_address(base, d->d_un.d_ptr); break;
        case DT_PLTRELSZ: nrela[1] = d->d_un.d_val / sizeof(Elf64_Rela); break;
        }
    }
    if (!syms || !strs)
        return;
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; rela[k] && i < nrela[k]; i++) {
            const Elf64_Sym *s = &syms[ELF64_R_SYM(rela[k][i].r_info)];
            if (ELF64_R_SYM(rela[k][i].r_info) && s->st_shndx == SHN_UNDEF)
                fn(strs + s->st_name, &rela[k][i], ctx);
        }
}

/* The dynamic section of a loaded library, from its program headers. */
const Elf64_Dyn *library_dynamic(const struct dl_phdr_info *info)
{
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
            return (const Elf64_Dyn *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    return NULL;
}
