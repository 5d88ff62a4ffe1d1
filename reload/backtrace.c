/* Symbolizing code addresses for crash reports. The object and its
 * version come from the linker's records (every generation's objects keep
 * their section addresses, old versions too); the function and the source
 * line from the generation's debug image (gdb/elfimage.c), which names
 * every function of that generation, old versions' as NAME#N, and carries
 * line tables at the addresses the code runs at. A shared library's
 * function comes from dladdr. */
#include "backtrace.h"

#include <dlfcn.h>
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* The section headers of an ELF image, if its header says where they
 * are and they lie inside it. */
static const Elf64_Shdr *image_sections(const uint8_t *image, size_t size, size_t *n)
{
    const Elf64_Ehdr *eh = (const void *)image;
    if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > size ||
        eh->e_shnum > (size - eh->e_shoff) / sizeof(Elf64_Shdr))
        return NULL;
    *n = eh->e_shnum;
    return (const void *)(image + eh->e_shoff);
}

static bool inside(const Elf64_Shdr *sh, size_t size)
{
    return sh->sh_offset <= size && sh->sh_size <= size - sh->sh_offset;
}

/* The function symbol of an ELF image that holds pc. The image's tables
 * are read in place, without libelf: this runs in a crash handler, where
 * nothing may allocate (the crashed thread may hold malloc's lock). */
static bool image_function(const void *image, size_t size, uintptr_t pc, struct code_place *out)
{
    size_t nsec;
    const Elf64_Shdr *sec = image_sections(image, size, &nsec);
    for (size_t k = 0; sec && k < nsec; k++) {
        const Elf64_Shdr *sym = &sec[k], *str = &sec[sym->sh_link < nsec ? sym->sh_link : 0];
        if (sym->sh_type != SHT_SYMTAB || sym->sh_entsize != sizeof(Elf64_Sym) || !inside(sym, size) ||
            !inside(str, size))
            continue;
        const Elf64_Sym *syms = (const void *)((const uint8_t *)image + sym->sh_offset);
        const char *names = (const char *)image + str->sh_offset;
        for (size_t i = 0; i < sym->sh_size / sizeof *syms; i++) {
            const Elf64_Sym *f = &syms[i];
            if (ELF64_ST_TYPE(f->st_info) != STT_FUNC || pc < f->st_value ||
                pc - f->st_value >= (f->st_size ? f->st_size : 1) || f->st_name >= str->sh_size)
                continue;
            snprintf(out->function, sizeof out->function, "%.*s", (int)strnlen(names + f->st_name, str->sh_size - f->st_name),
                     names + f->st_name);
            out->offset = pc - f->st_value;
            return true;
        }
    }
    return false;
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

/* The debug image that names obj, of generation g, if it has one yet. */
static const void *image_naming(const struct program *pg, unsigned g, const struct object *obj, size_t *size)
{
    const struct debug_chunk *c = debug_chunk_of(pg->gens[g], obj);
    return c && c->entry ? jit_entry_image(c->entry, size) : NULL;
}

void code_place_of(const struct program *pg, uintptr_t pc, bool return_address, struct code_place *out)
{
    uintptr_t at = return_address ? pc - 1 : pc;
    *out = (struct code_place){.at = at};
    out->obj = object_at(pg, at, &out->version);
    if (!out->obj) {
        library_place(at, out);
        return;
    }
    size_t size = 0;
    const void *image = image_naming(pg, out->version, out->obj, &size);
    if (!image || !image_function(image, size, at, out))
        own_symbol_function(out->obj, at, out);
    if (*out->function && return_address)
        out->offset++;
}

void code_line_of(const struct program *pg, struct code_place *place)
{
    size_t size = 0;
    const void *image = place->obj ? image_naming(pg, place->version, place->obj, &size) : NULL;
    if (image)
        source_line_of(image, size, place->at, &place->src);
}

/* "  #N 0x... function+0x1c at file:line (object, version N)" */
static void frame_line(size_t i, uintptr_t pc, const struct code_place *p, char *line, size_t size)
{
    int n = snprintf(line, size, "  #%zu 0x%lx %s", i, (unsigned long)pc, *p->function ? p->function : "??");
    if (*p->function && p->offset)
        n += snprintf(line + n, size - (size_t)n, "+0x%lx", (unsigned long)p->offset);
    if (*p->src.file)
        n += snprintf(line + n, size - (size_t)n, " at %s:%u", p->src.file, p->src.line);
    if (p->obj)
        snprintf(line + n, size - (size_t)n, " (%s, version %u)\n", path_base(p->obj->name), p->version);
    else if (p->library)
        snprintf(line + n, size - (size_t)n, " (%s)\n", path_base(p->library));
    else
        snprintf(line + n, size - (size_t)n, "\n");
}

#define FRAME_LINE_MAX (sizeof(struct code_place) + 96)

void backtrace_text(const struct program *pg, const uintptr_t *pcs, size_t n, struct strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        struct code_place p;
        char line[FRAME_LINE_MAX];
        code_place_of(pg, pcs[i], i > 0, &p);
        code_line_of(pg, &p);
        frame_line(i, pcs[i], &p, line, sizeof line);
        sb_printf(out, "%s", line);
    }
}

void backtrace_write(const struct program *pg, const uintptr_t *pcs, size_t n, int fd)
{
    for (size_t i = 0; i < n; i++) {
        struct code_place p;
        char line[FRAME_LINE_MAX];
        code_place_of(pg, pcs[i], i > 0, &p);
        frame_line(i, pcs[i], &p, line, sizeof line);
        if (write(fd, line, strlen(line)) < 0)
            return; /* nowhere to say it */
    }
}
