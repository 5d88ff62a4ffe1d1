/* Relocations applied to the image while it is still writable: the values
 * the arithmetic needs (x86_64/reloc.c) come from the link's records, and
 * a 32-bit field that cannot reach its target falls back on the symbol's
 * stub, or fails naming the object, section, offset, type and symbol. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "gotx_relax.h"
#include "jump.h"
#include "linker.h"
#include "reloc.h"
#include "util.h"

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
    return dladdr((void *)stub_target(s), &info) && info.dli_fname ? info.dli_fname : s->dso;
}

static int out_of_range(const struct reloc *c, uint64_t value)
{
    const char *hint = "";
    if (c->ld->low)
        hint = ": objects built with -fno-pie must sit below 2 GiB, far from shared-library "
               "code and data; rebuild with -fPIE (the default) or -fPIC";
    else if (x86_reloc_is_abs32(c->type))
        hint = ": the object was built with -fno-pie; rebuild it with -fPIE or -fPIC";
    const char *lib = defining_library(c->sym);
    return fail("%s: section '%s' offset 0x%lx: %s against '%s'%s%s out of range (value 0x%lx)%s",
                c->sec->obj->name, c->sec->name, (unsigned long)c->r->r_offset,
                x86_reloc_name(c->type), symbol_name(c), lib ? " in " : "", lib ? lib : "",
                (unsigned long)value, hint);
}

/* Z: a library symbol's size comes from its dynamic symbol table. */
static uint64_t symbol_size(const struct reloc *c)
{
    const Elf64_Sym *es = NULL;
    Dl_info info;
    if (c->sym->kind != SYM_DSO)
        return c->sym->size;
    if (dladdr1((void *)stub_target(c->sym), &info, (void **)&es, RTLD_DL_SYMENT) && es)
        return es->st_size;
    return 0;
}

static uintptr_t stub_address(const struct reloc *c)
{
    return c->ld->image->stubs + (uintptr_t)c->sym->stub * STUB_SIZE;
}

/* May the symbol's stub stand in for it in a field that cannot reach it? */
static bool stub_can_stand_in(const struct reloc *c)
{
    return c->sym->stub >= 0 &&
           (c->type == R_X86_64_PLT32 || c->sym->kind == SYM_UNDEF || c->sym->kind == SYM_EXTERNAL ||
            c->sym->type == STT_GNU_IFUNC || (c->sym->kind == SYM_DSO && is_code_address(c->sym->addr)));
}

/* Write a field, through the symbol's stub if the direct value does not
 * fit and a stub can stand in for the target. */
static int store_field(const struct reloc *c, uint8_t *loc, const struct x86_field *f)
{
    if (x86_field_fits(f, f->value)) {
        x86_field_store(loc, f->value, f->width);
        return 0;
    }
    if (f->stub_may_stand_in && stub_can_stand_in(c) && x86_field_fits(f, f->via_stub)) {
        x86_field_store(loc, f->via_stub, f->width);
        return 0;
    }
    return out_of_range(c, f->value);
}

/* S, moved for a section symbol whose target variable kept its storage
 * from an earlier version of the object. */
static uint64_t relocated_symbol_value(const struct reloc *c)
{
    int64_t delta = 0;
    const struct section *sec = c->sym->sec;
    if (c->sym->type == STT_SECTION && sec && sec->nbinds)
        bind_delta_of_reloc(c->sec, c->r, sec, &delta);
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

/* ld relaxes a GOT load when the symbol cannot be preempted; here, when
 * it is this link's own and stays so through reloads: defined in a
 * section that is kept, not thread-local, not an IFUNC (its slot holds
 * the resolver's choice), and not referred to weakly (a reload that drops
 * it makes it 0, which no PC-relative field reaches). */
static bool may_relax_gotx(const struct reloc *c)
{
    const struct symbol *s = c->sym;
    return s->kind == SYM_DEFINED && s->sec && !s->sec->discarded && !(s->sec->flags & SHF_TLS) &&
           s->type != STT_GNU_IFUNC && object_binding(c->sec->obj, ELF64_R_SYM(c->r->r_info)) != STB_WEAK;
}

/* A GOTPCRELX field: the instruction reaches its symbol directly if it
 * can, else it is put back as compiled (a reload may have moved the
 * symbol since it was relaxed) and reads the GOT slot. */
static int apply_gotx(const struct reloc *c, const struct x86_reloc_args *a, uint8_t *loc,
                      const struct x86_field *f)
{
    const uint8_t *file = (const uint8_t *)c->sec->data + c->r->r_offset;
    enum x86_gotx_form form = x86_gotx_form(c->sec->data, c->r->r_offset, c->r->r_addend);
    uint64_t target = form == GOTX_LEA ? a->S : a->call;
    if (form != GOTX_KEEP && may_relax_gotx(c) && x86_gotx_write(loc, file, form, (int64_t)(target + a->A - a->P)))
        return 0;
    if (form != GOTX_KEEP)
        x86_gotx_write(loc, file, GOTX_KEEP, 0);
    return store_field(c, loc, f);
}

static int apply_plain(const struct reloc *c)
{
    if (c->sym->sec && c->sym->sec->discarded && section_is_unwind_table(c->sec)) {
        disable_fde(c);
        return 0;
    }
    struct image *im = c->ld->image;
    struct x86_reloc_args a = {.S = relocated_symbol_value(c), .A = c->r->r_addend,
                               .P = c->sec->addr + c->r->r_offset, .GOT = im->got,
                               .G = (uint64_t)c->sym->got * 8};
    a.call = c->sym->call_addr ? c->sym->call_addr : a.S;
    a.L = c->sym->stub >= 0 ? stub_address(c) : a.call;
    a.Z = x86_reloc_uses_size(c->type) ? symbol_size(c) : 0;
    struct x86_field f;
    if (!x86_reloc_compute(c->type, &a, &f))
        return fail("%s: section '%s': relocation type %u is not supported", c->sec->obj->name,
                    c->sec->name, c->type);
    uint8_t *loc = image_bytes(im, a.P);
    if (x86_gotx_type(c->type) && c->sec->data)
        return apply_gotx(c, &a, loc, &f);
    return store_field(c, loc, &f);
}

static bool in_pass(const struct link *ld, const struct reloc *c, enum reloc_pass pass)
{
    switch (pass) {
    case RELOC_TLS: return x86_reloc_is_tls(c->type);
    case RELOC_IFUNC: return !x86_reloc_is_tls(c->type) && is_own_ifunc(ld, c->sym);
    case RELOC_PLAIN: break;
    }
    return !x86_reloc_is_tls(c->type) && !is_own_ifunc(ld, c->sym);
}

/* Apply the relocations of sec that belong to pass; a first pass marks
 * the section if it left some for a later one. */
/* c becomes the section's relocation i. */
static void take_reloc(struct reloc *c, size_t i)
{
    c->r = &c->sec->relas[i];
    c->type = ELF64_R_TYPE(c->r->r_info);
    c->sym = c->sec->obj->syms[ELF64_R_SYM(c->r->r_info)];
}

/* Apply c; a relaxed TLS sequence may consume the next relocation too. */
static int apply_reloc(struct reloc *c, size_t *i)
{
    return x86_reloc_is_tls(c->type) ? relocate_tls(c->ld, c->sec, i) : apply_plain(c);
}

int relocate_section(struct link *ld, struct section *sec, enum reloc_pass pass)
{
    struct reloc c = {.ld = ld, .sec = sec};
    for (size_t i = 0; i < sec->nrelas; i++) {
        take_reloc(&c, i);
        if (!in_pass(ld, &c, pass)) {
            sec->deferred = true;
            continue;
        }
        if (pass == RELOC_IFUNC && (sec->flags & SHF_TLS))
            return fail("%s: section '%s': a thread-local initializer refers to IFUNC '%s'",
                        sec->obj->name, sec->name, c.sym->name);
        if (apply_reloc(&c, &i) < 0)
            return -1;
    }
    return 0;
}

bool moved_set_has(const struct moved_set *m, const struct symbol *s, uintptr_t *was)
{
    for (size_t i = 0; i < m->n; i++)
        if (s == m->syms[i]) {
            *was = m->was[i];
            return true;
        }
    return false;
}

/* Was c's instruction relaxed to reach its symbol directly? Its bytes as
 * compiled are kept to tell. */
static bool reloc_relaxed(const struct reloc *c)
{
    return x86_gotx_type(c->type) && c->sec->data &&
           x86_gotx_relaxed(image_bytes(c->ld->image, c->sec->addr + c->r->r_offset),
                            (const uint8_t *)c->sec->data + c->r->r_offset);
}

bool section_reads_got_of(const struct section *sec, const struct symbol *s)
{
    struct reloc c = {.ld = sec->obj->link, .sec = (struct section *)sec};
    for (size_t i = 0; sec->obj->syms && i < sec->nrelas; i++) {
        take_reloc(&c, i);
        if (c.sym == s && (x86_reloc_is_tls(c.type) || (x86_reloc_needs_got(c.type) && !reloc_relaxed(&c))))
            return true;
    }
    return false;
}

/* Does the field c relocates hold what the relocation made of address
 * was? Data the program may have changed since (writable, not code) is
 * asked; a field the arithmetic cannot redo is taken as unchanged. */
static bool holds_relocated(const struct reloc *c, uintptr_t was)
{
    if (!(c->sec->flags & SHF_WRITE) || (c->sec->flags & SHF_EXECINSTR) || x86_reloc_is_tls(c->type))
        return true;
    struct image *im = c->ld->image;
    struct x86_reloc_args a = {.S = was, .A = c->r->r_addend, .P = c->sec->addr + c->r->r_offset,
                               .GOT = im->got, .G = (uint64_t)c->sym->got * 8, .call = was, .L = was};
    struct x86_field f;
    uint64_t have = 0;
    if (!x86_reloc_compute(c->type, &a, &f) || f.width <= 0 || f.width > 8)
        return true;
    memcpy(&have, image_bytes(im, a.P), (size_t)f.width);
    uint64_t mask = f.width == 8 ? ~0ull : (1ull << (8 * f.width)) - 1;
    return have == (f.value & mask);
}

int relocate_references(struct link *ld, struct section *sec, const struct moved_set *m,
                        bool (*leave)(const struct section *sec, uint64_t offset))
{
    struct reloc c = {.ld = ld, .sec = sec};
    uintptr_t was;
    for (size_t i = 0; i < sec->nrelas; i++) {
        take_reloc(&c, i);
        if (!moved_set_has(m, c.sym, &was) || (leave && leave(sec, c.r->r_offset)) ||
            !holds_relocated(&c, was))
            continue;
        if (apply_reloc(&c, &i) < 0)
            return -1;
    }
    return 0;
}
