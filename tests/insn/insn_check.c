/* Prints the start offset of every instruction of every function in an
 * object, as hotld's length decoder sees them ("SECTION+OFFSET"), for
 * comparison with objdump. With --reads first, only those with a
 * RIP-relative operand, each with R if x86_insn_only_reads says it only
 * reads it, else W. */
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "insn.h"

int main(int argc, char **argv)
{
    bool reads = argc == 3 && !strcmp(argv[1], "--reads");
    if (argc != 2 + reads)
        return 2;
    elf_version(EV_CURRENT);
    int fd = open(argv[1 + reads], O_RDONLY);
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    size_t shstrndx;
    if (!elf || elf_getshdrstrndx(elf, &shstrndx) < 0)
        return 2;
    for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
        GElf_Shdr sh;
        gelf_getshdr(scn, &sh);
        if (sh.sh_type != SHT_SYMTAB)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
            GElf_Sym sym;
            gelf_getsym(d, i, &sym);
            if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF || !sym.st_size)
                continue;
            Elf_Scn *code = elf_getscn(elf, sym.st_shndx);
            Elf_Data *cd = elf_getdata(code, NULL);
            GElf_Shdr csh;
            gelf_getshdr(code, &csh);
            const char *secname = elf_strptr(elf, shstrndx, csh.sh_name);
            const uint8_t *p = (const uint8_t *)cd->d_buf + sym.st_value;
            for (size_t off = 0; off < sym.st_size;) {
                int disp;
                int n = x86_insn_decode(p + off, sym.st_size - off, &disp);
                if (!reads)
                    printf("%s+%lx\n", secname, (unsigned long)(sym.st_value + off));
                else if (n > 0 && disp >= 0)
                    printf("%s+%lx %c\n", secname, (unsigned long)(sym.st_value + off),
                           x86_insn_only_reads(p + off, n) ? 'R' : 'W');
                if (n <= 0) {
                    printf("FAIL %s+%lx\n", secname, (unsigned long)(sym.st_value + off));
                    break;
                }
                off += n;
            }
        }
    }
    return 0;
}
