/* Symbolizing code addresses for crash reports. The object and its
 * version come from the linker's records (every generation's objects keep
 * their section addresses, old versions too); the function and the source
 * line from the generation's debug image (gdb/elfimage.c), which names
 * every function of that generation, old versions' as NAME#N, and carries
 * line tables at the addresses the code runs at. A shared library's
 * function comes from dladdr. */
#include "backtrace.h"

#include <dlfcn.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>

#include "jit.h"
#include "util.h"

static bool in_code(const struct section *s, uintptr_t pc)
{
    return (s->flags & SHF_EXECINSTR) && !s->discarded && s->addr && pc >= s->addr && pc - s->addr < s->size;
}

const struct object *object_at(const struct program *pg, uintptr_t pc, unsigned *version)
{
    for (size_t g = pg->ngens; g-- > 0;) {
        const struct link *ld = pg->gens[g];
        for (size_t i = 0; i < ld->nobjs; i++)
            for (size_t k = 1; k < ld->objs[i]->nsecs; k++)
                if (in_code(&ld->objs[i]->secs[k], pc)) {
                    *version = (unsigned)g;
                    return ld->objs[i];
                }
    }
    return NULL;
}

/* The function symbol of an ELF image that holds pc. */
static bool image_function(const void *image, size_t size, uintptr_t pc, struct code_place *out)
{
    Elf *elf = elf_memory((char *)image, size);
    Elf_Scn *scn = NULL;
    bool found = false;
    while (elf && !found && (scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        Elf_Data *d = gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB ? elf_getdata(scn, NULL) : NULL;
        for (size_t i = 0; d && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize && !found; i++) {
            GElf_Sym sym;
            const char *name;
            if (!gelf_getsym(d, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC || pc < sym.st_value ||
                pc - sym.st_value >= (sym.st_size ? sym.st_size : 1) ||
                !(name = elf_strptr(elf, sh.sh_link, sym.st_name)))
                continue;
            snprintf(out->function, sizeof out->function, "%s", name);
            out->offset = pc - sym.st_value;
            found = true;
        }
    }
    elf_end(elf);
    return found;
}

/* Without a debug image (none made yet): the object's own symbols, while
 * it still has them. */
static void own_symbol_function(const struct object *obj, uintptr_t pc, struct code_place *out)
{
    for (size_t j = 1; j < obj->nsyms; j++) {
        const struct symbol *s = obj->syms[j];
        if (s && s->type == STT_FUNC && s->sec && s->sec->obj == obj && pc >= s->addr &&
            pc - s->addr < (s->size ? s->size : 1)) {
            snprintf(out->function, sizeof out->function, "%s", s->name);
            out->offset = pc - s->addr;
            return;
        }
    }
}

static void library_place(uintptr_t pc, struct code_place *out)
{
    Dl_info info;
    if (!dladdr((void *)pc, &info))
        return;
    out->library = info.dli_fname;
    if (info.dli_sname) {
        snprintf(out->function, sizeof out->function, "%s", info.dli_sname);
        out->offset = pc - (uintptr_t)info.dli_saddr;
    }
}

void code_place_of(const struct program *pg, uintptr_t pc, bool return_address, struct code_place *out)
{
    uintptr_t at = return_address ? pc - 1 : pc;
    *out = (struct code_place){0};
    out->obj = object_at(pg, at, &out->version);
    if (!out->obj) {
        library_place(at, out);
        return;
    }
    const struct link *ld = pg->gens[out->version];
    size_t size = 0;
    const void *image = ld->debug_entry ? jit_entry_image(ld->debug_entry, &size) : NULL;
    if (!image || !image_function(image, size, at, out))
        own_symbol_function(out->obj, at, out);
    if (image)
        source_line_of(image, size, at, &out->src);
    if (*out->function && return_address)
        out->offset++;
}

void backtrace_text(const struct program *pg, const uintptr_t *pcs, size_t n, struct strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        struct code_place p;
        code_place_of(pg, pcs[i], i > 0, &p);
        sb_printf(out, "  #%zu 0x%lx %s", i, (unsigned long)pcs[i], *p.function ? p.function : "??");
        if (*p.function && p.offset)
            sb_printf(out, "+0x%lx", (unsigned long)p.offset);
        if (*p.src.file)
            sb_printf(out, " at %s:%u", p.src.file, p.src.line);
        if (p.obj)
            sb_printf(out, " (%s, version %u)", path_base(p.obj->name), p.version);
        else if (p.library)
            sb_printf(out, " (%s)", path_base(p.library));
        sb_printf(out, "\n");
    }
}
