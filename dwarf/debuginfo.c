/* An object's DWARF, opened with libdwarf, and the variables it describes.
 *
 * A variable DIE says where its storage is with a location expression,
 * DW_OP_addr ADDR (gcc) or DW_OP_addrx INDEX into .debug_addr (clang). In
 * a relocatable object ADDR is only a relocation's addend: which section
 * it lies in is said by the relocation record at the operand, in
 * .rela.debug_info or .rela.debug_addr. So each variable is tied to its
 * storage as (ELF section index, offset) through that record, never
 * through the relocated value alone, which would be ambiguous. */
#include "typeinfo.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "die.h"
#include "dwarfopen.h"
#include "psabi.h"
#include "splitdwarf.h"
#include "typeunits.h"
#include "uncompress.h"
#include "util.h"


/* Relocations of one debug section, sorted by offset. */
struct reloc_index {
    const Elf64_Rela *r;
    size_t n;
};

struct debug_info {
    Dwarf_Debug dbg;
    int fd;
    size_t nsecs;
    Elf64_Sym *syms;            /* the object's symbol table, copied */
    size_t nsyms;
    struct reloc_index info, addr;  /* .rela.debug_info, .rela.debug_addr */
    struct debug_var *vars;
    size_t nvars, capvars;
    struct debug_place *untyped; /* variables whose type is not read */
    size_t nuntyped, capuntyped;
    struct debug_func *funcs;
    size_t nfuncs, capfuncs;
    struct debug_type *types;
    size_t ntypes, captypes;
    uint64_t *pointees;         /* what pointer and reference types lead to */
    size_t npointees, cappointees;
    size_t unit_len;            /* the walked unit's file name's length */
    char *unit_name;            /* the last compile unit's: its type units' scope */
    bool split;                 /* a skeleton unit whose .dwo file was not read */
    bool from_dwo;              /* dbg reads the .dwo file: its unit's */
    uint64_t addr_base;         /* .debug_addr entries start at the skeleton's */
};

Dwarf_Debug debug_info_dbg(const struct debug_info *di)
{
    return di->dbg;
}

static int by_offset(const void *a, const void *b)
{
    const Elf64_Rela *x = a, *y = b;
    return x->r_offset < y->r_offset ? -1 : x->r_offset > y->r_offset;
}

/* n relocations, copied and sorted by offset. */
static struct reloc_index index_relas(const void *relas, size_t n)
{
    Elf64_Rela *copy = xmalloc((n ? n : 1) * sizeof *copy);
    if (n) {
        memcpy(copy, relas, n * sizeof *copy);
        qsort(copy, n, sizeof *copy, by_offset);
    }
    return (struct reloc_index){copy, n};
}

/* The relocations of a relocation section, sorted by offset. */
static struct reloc_index index_relocs(Elf_Scn *scn)
{
    Elf_Data *d = elf_getdata(scn, NULL);
    return index_relas(d ? d->d_buf : NULL, d && d->d_buf ? d->d_size / sizeof(Elf64_Rela) : 0);
}

/* The storage a relocation at `offset` of the indexed section points at. */
static bool storage_at(const struct debug_info *di, const struct reloc_index *ix, uint64_t offset,
                       uint32_t *sec, uint64_t *off)
{
    Elf64_Rela key = {.r_offset = offset};
    const Elf64_Rela *r = ix->n ? bsearch(&key, ix->r, ix->n, sizeof key, by_offset) : NULL;
    if (!r || ELF64_R_SYM(r->r_info) >= di->nsyms)
        return false;
    const Elf64_Sym *s = &di->syms[ELF64_R_SYM(r->r_info)];
    if (s->st_shndx == SHN_COMMON || s->st_shndx == SHN_X86_64_LCOMMON) {
        *sec = SHN_COMMON; /* no section yet: the symbol says which */
        *off = ELF64_R_SYM(r->r_info);
        return r->r_addend == 0;
    }
    if (s->st_shndx == SHN_UNDEF || s->st_shndx >= di->nsecs)
        return false;
    *sec = s->st_shndx;
    *off = s->st_value + r->r_addend;
    return true;
}

static uint64_t read_uleb(const uint8_t **p, const uint8_t *end)
{
    uint64_t v = 0;
    for (int shift = 0; *p < end && shift < 64; shift += 7) {
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

static size_t uleb_size(uint64_t v)
{
    size_t n = 1;
    while (v >>= 7)
        n++;
    return n;
}

/* The variable's type, also through a definition's DW_AT_specification
 * (a declaration seen earlier in the unit carries it). */
static bool variable_type(const struct debug_info *di, Dwarf_Die die, Dwarf_Off *type)
{
    Dwarf_Off decl;
    Dwarf_Die d;
    if (die_ref(di->dbg, die, DW_AT_type, type))
        return true;
    if (!die_ref(di->dbg, die, DW_AT_specification, &decl) && !die_ref(di->dbg, die, DW_AT_abstract_origin, &decl))
        return false;
    if (!(d = die_at(di->dbg, decl)))
        return false;
    bool ok = die_ref(di->dbg, d, DW_AT_type, type);
    dwarf_dealloc_die(d);
    return ok;
}

/* Where a variable's storage is, from its DW_AT_location: an address
 * (DW_OP_addr, DW_OP_addrx), or a thread-local variable's offset in its
 * block (DW_OP_const8u/const4u x@dtpoff, then DW_OP_form_tls_address or
 * GNU's DW_OP_GNU_push_tls_address), each tied to a relocation. */
static bool variable_storage(const struct debug_info *di, Dwarf_Die die, uint64_t addr_base,
                             uint32_t *sec, uint64_t *off)
{
    enum { OP_ADDR = 0x03, OP_CONST4U = 0x0c, OP_CONST8U = 0x0e, OP_FORM_TLS = 0x9b,
           OP_GNU_PUSH_TLS = 0xe0, OP_ADDRX = 0xa1, OP_GNU_ADDR_INDEX = 0xfb };
    Dwarf_Attribute a;
    Dwarf_Error err = NULL;
    Dwarf_Unsigned len;
    Dwarf_Ptr expr;
    Dwarf_Off at;
    if (dwarf_attr(die, DW_AT_location, &a, &err) != DW_DLV_OK)
        return false;
    bool ok = dwarf_formexprloc(a, &len, &expr, &err) == DW_DLV_OK &&
              dwarf_attr_offset(die, a, &at, &err) == DW_DLV_OK && len >= 2;
    dwarf_dealloc_attribute(a);
    if (!ok)
        return false;
    const uint8_t *p = expr, *end = p + len;
    if (*p == OP_ADDR && len == 9)
        return storage_at(di, &di->info, at + uleb_size(len) + 1, sec, off);
    bool tls = p[len - 1] == OP_FORM_TLS || p[len - 1] == OP_GNU_PUSH_TLS;
    if (tls && ((*p == OP_CONST8U && len == 10) || (*p == OP_CONST4U && len == 6)))
        return storage_at(di, &di->info, at + uleb_size(len) + 1, sec, off);
    if (*p == OP_ADDRX || *p == OP_GNU_ADDR_INDEX) {
        p++;
        uint64_t index = read_uleb(&p, end);
        return p == end && storage_at(di, &di->addr, addr_base + index * 8, sec, off);
    }
    return false; /* a register, an expression: not storage of its own */
}

/* A DIE's name, also through DW_AT_specification (a C++ static member's
 * definition names only its declaration). */
static const char *variable_name(const struct debug_info *di, Dwarf_Die die)
{
    Dwarf_Off decl;
    Dwarf_Die d;
    if (*die_name(die))
        return die_name(die);
    if (!die_ref(di->dbg, die, DW_AT_specification, &decl) || !(d = die_at(di->dbg, decl)))
        return NULL;
    const char *name = *die_name(d) ? die_name(d) : NULL;
    dwarf_dealloc_die(d);
    return name;
}

static const char *linkage_name(Dwarf_Die die)
{
    const char *name = die_string(die, DW_AT_linkage_name);
    if (!name)
        name = die_string(die, DW_AT_MIPS_linkage_name);
    return name ? name : "";
}

/* A variable's key, stable across rebuilds of its object: its name if it
 * is external, else its scope too: "file.c:name" for a file static,
 * "file.c:function{block}...:name" for a function static. */
static void note_variable(struct debug_info *di, Dwarf_Die die, uint64_t addr_base, const char *scope)
{
    struct debug_var v = {0};
    Dwarf_Off type;
    const char *name = variable_name(di, die);
    if (!name || !variable_storage(di, die, addr_base, &v.section, &v.offset))
        return;
    if (!variable_type(di, die, &type)) { /* gcc -g1's, or a form not read */
        struct debug_place at = {v.section, v.offset};
        ARRAY_PUSH(di->untyped, di->nuntyped, di->capuntyped, at);
        return;
    }
    v.type = type;
    v.constant = die_type_is_const(di->dbg, type);
    v.name = name;
    bool external = die_flag(die, DW_AT_external) || die_flag(die, DW_AT_specification);
    v.key = external ? xstrdup(name) : xasprintf("%s:%s", scope, name);
    v.in_unit = external || strlen(scope) < di->unit_len ? NULL : xstrdup(v.key + di->unit_len);
    ARRAY_PUSH(di->vars, di->nvars, di->capvars, v);
}

/* A function defined here (it has code: DW_AT_low_pc), by the name its
 * ELF symbol has: the linkage name if it has one (C++), else its name. */
static void note_function(struct debug_info *di, Dwarf_Die die)
{
    Dwarf_Off origin;
    Dwarf_Die o = NULL;
    if (!die_has(die, DW_AT_low_pc) && !die_has(die, DW_AT_ranges))
        return;
    if (die_ref(di->dbg, die, DW_AT_specification, &origin) || die_ref(di->dbg, die, DW_AT_abstract_origin, &origin))
        o = die_at(di->dbg, origin);
    const char *name = linkage_name(die);
    if (!*name && o)
        name = linkage_name(o);
    if (!*name)
        name = *die_name(die) ? die_name(die) : o ? die_name(o) : "";
    if (o)
        dwarf_dealloc_die(o);
    Dwarf_Off off;
    Dwarf_Error err = NULL;
    if (*name && dwarf_dieoffset(die, &off, &err) == DW_DLV_OK)
        ARRAY_PUSH(di->funcs, di->nfuncs, di->capfuncs, ((struct debug_func){name, off}));
}

static bool is_aggregate(Dwarf_Half tag)
{
    return tag == DW_TAG_structure_type || tag == DW_TAG_class_type || tag == DW_TAG_union_type;
}

/* A struct, class or union whose layout this object has, by name: its
 * own, or a typedef's for an unnamed one ("typedef struct {...} vec2"). */
static void note_type(struct debug_info *di, Dwarf_Die die, const char *name, const char *scope)
{
    Dwarf_Off off;
    Dwarf_Unsigned size = 0;
    Dwarf_Error err = NULL;
    Dwarf_Half tag = die_tag(die);
    if (!*name || die_flag(die, DW_AT_declaration) || dwarf_dieoffset(die, &off, &err) != DW_DLV_OK)
        return;
    die_udata(die, DW_AT_byte_size, &size);
    const char *inner = strstr(scope, "::"); /* past the unit's file name */
    struct debug_type t = {xasprintf("%s::%s", scope, name), inner ? xasprintf("%s::%s", inner + 2, name)
                                                                   : xstrdup(name),
                           tag == DW_TAG_class_type ? "class" : tag == DW_TAG_union_type ? "union" : "struct",
                           off, size, false};
    ARRAY_PUSH(di->types, di->ntypes, di->captypes, t);
}

static void note_typedef(struct debug_info *di, Dwarf_Die die, const char *scope)
{
    Dwarf_Off target;
    Dwarf_Die t;
    if (!die_ref(di->dbg, die, DW_AT_type, &target) || !(t = die_at(di->dbg, target)))
        return;
    if (is_aggregate(die_tag(t)) && !*die_name(t))
        note_type(di, t, die_name(die), scope);
    dwarf_dealloc_die(t);
}

/* A pointer or reference type: the type it leads to, typedefs and
 * qualifiers aside, may have objects anywhere. */
static void note_pointer(struct debug_info *di, Dwarf_Die die)
{
    Dwarf_Off target, off;
    Dwarf_Die t;
    Dwarf_Error err = NULL;
    if (!die_ref(di->dbg, die, DW_AT_type, &target) || !(t = die_strip(di->dbg, target)))
        return;
    if (dwarf_dieoffset(t, &off, &err) == DW_DLV_OK)
        ARRAY_PUSH(di->pointees, di->npointees, di->cappointees, off);
    dwarf_dealloc_die(t);
}

/* The scope a DIE opens, inside scope: "file.c", "f", "f{1}", "ns::". */
static char *inner_scope(const struct debug_info *di, Dwarf_Die die, Dwarf_Half tag, const char *scope,
                         unsigned block)
{
    const char *name = variable_name(di, die);
    switch (tag) {
    case DW_TAG_compile_unit: return xstrdup(name ? name : "?");
    case DW_TAG_type_unit: return xstrdup(di->unit_name ? di->unit_name : "?"); /* after its compile unit */
    case DW_TAG_subprogram: return xasprintf("%s:%s", scope, name ? name : "?");
    case DW_TAG_lexical_block: return xasprintf("%s{%u}", scope, block);
    default: return xasprintf("%s::%s", scope, name ? name : "");
    }
}

/* Depth first: variables may be in functions and their lexical blocks. */
static void walk(struct debug_info *di, Dwarf_Die die, uint64_t addr_base, const char *scope, int depth)
{
    unsigned blocks = 0;
    for (; die; die = die_next(di->dbg, die)) {
        Dwarf_Half tag = die_tag(die);
        Dwarf_Die child;
        if (tag == DW_TAG_variable)
            note_variable(di, die, addr_base, scope);
        else if (tag == DW_TAG_subprogram)
            note_function(di, die);
        else if (is_aggregate(tag))
            note_type(di, die, die_name(die), scope);
        else if (tag == DW_TAG_typedef)
            note_typedef(di, die, scope);
        else if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type || tag == DW_TAG_rvalue_reference_type)
            note_pointer(di, die);
        bool opens = tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block || tag == DW_TAG_namespace ||
                     tag == DW_TAG_module || tag == DW_TAG_compile_unit || /* module: Fortran's, D's */
                     tag == DW_TAG_type_unit;
        if (opens && depth < 64 && (child = die_first_child(die))) {
            char *inner = inner_scope(di, die, tag, scope, blocks);
            if (tag == DW_TAG_compile_unit) {
                di->unit_len = strlen(inner);
                xfree(di->unit_name);
                di->unit_name = xstrdup(inner);
            }
            walk(di, child, addr_base, inner, depth + 1);
            xfree(inner);
        }
        blocks += tag == DW_TAG_lexical_block;
    }
}

static int by_value(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return (*x > *y) - (*x < *y);
}

/* Which types a pointer or reference type leads to. */
static void mark_pointed_to(struct debug_info *di)
{
    if (di->npointees)
        qsort(di->pointees, di->npointees, sizeof *di->pointees, by_value);
    for (size_t i = 0; i < di->ntypes; i++)
        di->types[i].pointed_to = di->npointees && bsearch(&di->types[i].die, di->pointees, di->npointees,
                                                           sizeof *di->pointees, by_value);
}

static void read_units(struct debug_info *di)
{
    Dwarf_Error err = NULL;
    Dwarf_Unsigned next;
    Dwarf_Half cu_type;
    while (dwarf_next_cu_header_d(di->dbg, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                  &next, &cu_type, &err) == DW_DLV_OK) {
        Dwarf_Die cu = NULL;
        if (dwarf_siblingof_b(di->dbg, NULL, 1, &cu, &err) != DW_DLV_OK)
            continue;
        walk(di, cu, di->from_dwo ? di->addr_base : die_addr_base(cu), "", 0);
    }
    mark_pointed_to(di);
}

/* The debug sections this reader needs (and their relocations): the rest
 * are hidden from libdwarf, which then neither spends time on them nor
 * trips on them (libdwarf 20210528 double-frees on some malformed
 * .debug_rnglists; found by tests/fuzz/fuzz_dwarf.c). */
static bool needed(const char *name)
{
    static const char *const keep[] = {".debug_info", ".debug_abbrev", ".debug_str", ".debug_line_str",
                                       ".debug_addr", ".debug_str_offsets"};
    if (!strncmp(name, ".rela", 5))
        name += 5;
    if (strncmp(name, ".debug_", 7))
        return true; /* not debug information: libdwarf needs the symbols */
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        if (debug_section_is(name, keep[i]))
            return true;
    return false;
}

static const char *section_name(Elf *e, size_t shstrndx, Elf_Scn *scn)
{
    GElf_Shdr sh;
    const char *name = gelf_getshdr(scn, &sh) ? elf_strptr(e, shstrndx, sh.sh_name) : NULL;
    return name ? name : "";
}

/* A .debug_abbrev as libdwarf is to read it: uncompressed, and without
 * sibling links (unlink_siblings, below). */
struct abbrev_copy {
    uint8_t *bytes;
    size_t size;
    uint64_t at;                /* the section's offset in the file */
    uint64_t shdr_at;           /* its header's */
    bool compressed;            /* SHF_COMPRESSED in the file */
    Elf64_Shdr moved;           /* then its header, as libdwarf's copy has it */
};

/* What libdwarf's copy of the object is to have changed. */
struct for_libdwarf {
    uint64_t *hide;             /* section headers whose names it is not to see */
    size_t nhide;
    struct abbrev_copy *abbrevs;
    size_t nabbrevs;
    struct merged_info merged;  /* type units' sections made one (typeunits.c) */
};

static void unlink_siblings(uint8_t *abbrev, uint64_t size);

/* libdwarf finds .debug_abbrev by its name, whatever the section's type,
 * and reads a zlib-compressed one (gcc -gz) uncompressed: so is it copied
 * here, to be edited. One that cannot be read is hidden from libdwarf,
 * which then reads no DWARF. */
static void note_abbrev(struct for_libdwarf *lib, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t shdr_at)
{
    bool compressed = sh->sh_flags & SHF_COMPRESSED;
    uint64_t size = 0;
    uint8_t *bytes = section_copy(scn, &size);
    if (!bytes) {
        lib->hide[lib->nhide++] = shdr_at;
        return;
    }
    unlink_siblings(bytes, size);
    lib->abbrevs[lib->nabbrevs++] = (struct abbrev_copy){
        .bytes = bytes, .size = size, .at = sh->sh_offset, .shdr_at = shdr_at, .compressed = compressed};
}

/* From the object's sections: its symbols and the relocations of
 * .debug_info and .debug_addr, copied into di; and what libdwarf's copy
 * is to have changed. Returns whether it has DWARF at all. */
static bool read_sections(struct debug_info *di, Elf *e, struct for_libdwarf *lib)
{
    size_t shstrndx;
    bool has_info = false;
    GElf_Ehdr eh;
    if (elf_getshdrstrndx(e, &shstrndx) < 0 || elf_getshdrnum(e, &di->nsecs) < 0 || !gelf_getehdr(e, &eh) ||
        eh.e_shentsize != sizeof(Elf64_Shdr))
        return false;
    if (merge_info_sections(e, &lib->merged)) {
        di->info = index_relas(lib->merged.relas, lib->merged.nrelas);
        for (size_t i = 0; i < lib->merged.nhide; i++)
            lib->hide[lib->nhide++] = lib->merged.hide[i];
    }
    for (Elf_Scn *scn = NULL; (scn = elf_nextscn(e, scn));) {
        GElf_Shdr sh;
        const char *name = section_name(e, shstrndx, scn);
        uint64_t shdr_at = eh.e_shoff + elf_ndxscn(scn) * sizeof(Elf64_Shdr);
        Elf_Data *d;
        if (!gelf_getshdr(scn, &sh))
            return false;
        has_info |= debug_section_is(name, ".debug_info");
        if (debug_section_is(name, ".debug_types"))
            return false; /* DWARF 4 type units: their types are not followed, so none is read */
        if (!needed(name))
            lib->hide[lib->nhide++] = shdr_at;
        else if (debug_section_is(name, ".debug_abbrev"))
            note_abbrev(lib, scn, &sh, shdr_at);
        if (sh.sh_type == SHT_SYMTAB && !di->syms && (d = elf_getdata(scn, NULL)) && d->d_buf) {
            di->nsyms = d->d_size / sizeof(Elf64_Sym);
            di->syms = xmalloc((di->nsyms ? di->nsyms : 1) * sizeof *di->syms);
            memcpy(di->syms, d->d_buf, di->nsyms * sizeof *di->syms);
        }
        if (sh.sh_type != SHT_RELA || sh.sh_info >= di->nsecs)
            continue;
        const char *target = section_name(e, shstrndx, elf_getscn(e, sh.sh_info));
        if (!strcmp(target, ".debug_info") && !di->info.r)
            di->info = index_relocs(scn);
        else if (!strcmp(target, ".debug_addr") && !di->addr.r)
            di->addr = index_relocs(scn);
    }
    return has_info;
}

/* libdwarf 20210528, skipping a DIE's children to its sibling, follows
 * each child's DW_AT_sibling and refuses a link backwards, but not one to
 * the DIE itself: on such a corrupt object it loops for ever (found by
 * tests/fuzz/fuzz_later.c). In libdwarf's copy, the abbreviations'
 * DW_AT_sibling become DIE_SIBLING_LINK, a reserved attribute libdwarf
 * does not follow: die_next follows it, checked; libdwarf skips children
 * by reading them, which always moves forward. The abbreviation
 * tables (code, tag, children flag, then attribute and form pairs to a
 * 0 0 pair; a 0 code ends a table) are walked to the section's end. */
static void unlink_siblings(uint8_t *abbrev, uint64_t size)
{
    const uint8_t *p = abbrev, *end = abbrev + size;
    while (p < end) {
        if (!read_uleb(&p, end))
            continue; /* the end of one CU's table */
        read_uleb(&p, end); /* the tag */
        if (p == end)
            return;
        p++; /* the children flag */
        while (p < end) {
            const uint8_t *at = p;
            uint64_t attr = read_uleb(&p, end), form = read_uleb(&p, end);
            if (form == DW_FORM_implicit_const)
                read_uleb(&p, end); /* its value: an SLEB128, as long as a ULEB128 */
            if (!attr && !form)
                break;
            if (attr == DW_AT_sibling && *at == DW_AT_sibling) /* one byte */
                abbrev[at - abbrev] = DIE_SIBLING_LINK;
        }
    }
}

static bool within(uint64_t at, uint64_t n, size_t size)
{
    return at <= size && size - at >= n;
}

/* A compressed .debug_abbrev's copy goes past the end of the bytes, and
 * its header says so, uncompressed. */
static size_t move_abbrev(const char *bytes, struct abbrev_copy *c, size_t end, struct dwarf_edit *edits)
{
    memcpy(&c->moved, bytes + c->shdr_at, sizeof c->moved);
    c->moved.sh_flags &= ~(uint64_t)SHF_COMPRESSED;
    c->moved.sh_offset = end;
    c->moved.sh_size = c->size;
    c->moved.sh_addralign = 1;
    edits[0] = (struct dwarf_edit){end, c->bytes, c->size};
    edits[1] = (struct dwarf_edit){c->shdr_at, &c->moved, sizeof c->moved};
    return 2;
}

/* The merged .debug_info and its relocations go past the end too, and
 * the compile unit's sections' headers say so. */
static size_t move_merged_info(struct merged_info *m, size_t *end, struct dwarf_edit *edits)
{
    m->info_hdr.sh_offset = *end;
    edits[0] = (struct dwarf_edit){*end, m->bytes, m->size};
    edits[1] = (struct dwarf_edit){m->info_hdr_at, &m->info_hdr, sizeof m->info_hdr};
    *end = (*end + m->size + 7) & ~(size_t)7;
    if (!m->rela_hdr_at)
        return 2;
    m->rela_hdr.sh_offset = *end;
    edits[2] = (struct dwarf_edit){*end, m->relas, m->nrelas * sizeof *m->relas};
    edits[3] = (struct dwarf_edit){m->rela_hdr_at, &m->rela_hdr, sizeof m->rela_hdr};
    *end += m->nrelas * sizeof *m->relas;
    return 4;
}

/* libdwarf reads the object's bytes with the unneeded sections' names
 * made empty and .debug_abbrev without sibling links: edits of its copy
 * (dwarfopen.c), the bytes themselves untouched. */
static Dwarf_Debug open_for_libdwarf(const char *bytes, size_t size, struct for_libdwarf *lib, int *fd)
{
    static const Elf64_Word no_name;
    struct dwarf_edit *edits = xcalloc(lib->nhide + 2 * lib->nabbrevs + 5, sizeof *edits);
    size_t n = 0, end = (size + 7) & ~(size_t)7;
    for (size_t i = 0; i < lib->nhide; i++)
        if (within(lib->hide[i], sizeof(Elf64_Shdr), size))
            edits[n++] = (struct dwarf_edit){lib->hide[i] + offsetof(Elf64_Shdr, sh_name), &no_name, sizeof no_name};
    for (size_t i = 0; i < lib->nabbrevs; i++) {
        struct abbrev_copy *c = &lib->abbrevs[i];
        if (!within(c->shdr_at, sizeof(Elf64_Shdr), size))
            continue; /* libelf read the header from the bytes: never */
        if (!c->compressed && within(c->at, c->size, size)) {
            edits[n++] = (struct dwarf_edit){c->at, c->bytes, c->size};
        } else if (c->compressed) {
            n += move_abbrev(bytes, c, end, &edits[n]);
            end = (end + c->size + 7) & ~(size_t)7;
        } else { /* not where libelf read it: libdwarf is not to read it either */
            edits[n++] = (struct dwarf_edit){c->shdr_at + offsetof(Elf64_Shdr, sh_name), &no_name, sizeof no_name};
        }
    }
    if (lib->merged.bytes && within(lib->merged.info_hdr_at, sizeof(Elf64_Shdr), size) &&
        (!lib->merged.rela_hdr_at || within(lib->merged.rela_hdr_at, sizeof(Elf64_Shdr), size)))
        n += move_merged_info(&lib->merged, &end, &edits[n]);
    Dwarf_Debug dbg = dwarf_open_bytes(bytes, size, edits, n, fd);
    xfree(edits);
    return dbg;
}

/* libdwarf on the DWARF of ELF bytes (an object's, a .dwo file's), with
 * what di needs of them: symbols, relocations, section count. libelf
 * only reads the bytes it is given here. */
static bool open_elf(struct debug_info *di, const char *bytes, size_t size)
{
    size_t nsecs = 0;
    Elf *e = bytes ? elf_memory((char *)bytes, size) : NULL;
    if (!e || elf_getshdrnum(e, &nsecs) < 0) {
        elf_end(e);
        return false;
    }
    struct for_libdwarf lib = {.hide = xcalloc(nsecs + 1, sizeof *lib.hide),
                               .abbrevs = xcalloc(nsecs + 1, sizeof *lib.abbrevs)};
    bool has_dwarf = read_sections(di, e, &lib);
    elf_end(e);
    if (has_dwarf)
        di->dbg = open_for_libdwarf(bytes, size, &lib, &di->fd);
    xfree(lib.hide);
    for (size_t i = 0; i < lib.nabbrevs; i++)
        xfree(lib.abbrevs[i].bytes);
    xfree(lib.abbrevs);
    merged_info_free(&lib.merged);
    return di->dbg != NULL;
}

/* A skeleton's variables and types are in its .dwo file: read there, if
 * it is the one the object was compiled with, their storage still found
 * through the object's .debug_addr and its relocations. If it is not,
 * di->split says so. */
static void read_dwo(struct debug_info *di, const char *path)
{
    struct skeleton sk;
    if (!skeleton_of(di->dbg, &sk))
        return;
    size_t size = 0;
    char *bytes = dwo_read(&sk, path, &size);
    struct debug_info *dwo = xcalloc(1, sizeof *dwo);
    bool opened = bytes && open_elf(dwo, bytes, size);
    xfree(bytes);
    di->split = !(opened && dwo_matches(&sk, dwo->dbg));
    if (!di->split) { /* the skeleton's handle goes with dwo, the .dwo's stays */
        Dwarf_Debug skeleton = di->dbg;
        int skeleton_fd = di->fd;
        di->dbg = dwo->dbg, di->fd = dwo->fd;
        dwo->dbg = skeleton, dwo->fd = skeleton_fd;
        di->from_dwo = true;
        di->addr_base = sk.addr_base;
    }
    debug_info_close(dwo);
}

/* By name, and the first of a name in the DWARF's order first. */
static int by_name_then_die(const void *a, const void *b)
{
    const struct debug_func *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->die > y->die) - (x->die < y->die);
}

struct debug_info *debug_info_open(const char *bytes, size_t size, const char *path)
{
    struct debug_info *di = xcalloc(1, sizeof *di);
    if (!open_elf(di, bytes, size)) { /* not built with -g, or libdwarf cannot read it */
        debug_info_close(di);
        return NULL;
    }
    read_dwo(di, path);
    read_units(di);
    if (di->nfuncs)
        qsort(di->funcs, di->nfuncs, sizeof *di->funcs, by_name_then_die); /* for debug_func_named */
    return di;
}

void debug_info_close(struct debug_info *di)
{
    if (!di)
        return;
    if (di->dbg)
        dwarf_close_bytes(di->dbg, di->fd);
    xfree(di->syms);
    xfree((void *)di->info.r);
    xfree((void *)di->addr.r);
    for (size_t i = 0; i < di->nvars; i++) {
        xfree(di->vars[i].key);
        xfree(di->vars[i].in_unit);
    }
    xfree(di->vars);
    xfree(di->untyped);
    xfree(di->funcs);
    for (size_t i = 0; i < di->ntypes; i++) {
        xfree(di->types[i].key);
        xfree(di->types[i].name);
    }
    xfree(di->types);
    xfree(di->pointees);
    xfree(di->unit_name);
    xfree(di);
}

bool debug_info_is_split(const struct debug_info *di)
{
    return di->split;
}

const struct debug_var *debug_vars(const struct debug_info *di, size_t *n)
{
    *n = di->nvars;
    return di->vars;
}

const struct debug_var *debug_var_at(const struct debug_info *di, uint32_t sec, uint64_t offset)
{
    for (size_t i = 0; di && i < di->nvars; i++)
        if (di->vars[i].section == sec && di->vars[i].offset == offset)
            return &di->vars[i];
    return NULL;
}

bool debug_info_types_no_variable(const struct debug_info *di)
{
    return di->nuntyped > 0 && di->nvars == 0;
}

bool debug_var_untyped_at(const struct debug_info *di, uint32_t sec, uint64_t offset)
{
    for (size_t i = 0; di && i < di->nuntyped; i++)
        if (di->untyped[i].section == sec && di->untyped[i].offset == offset)
            return true;
    return false;
}

const struct debug_type *debug_types(const struct debug_info *di, size_t *n)
{
    *n = di->ntypes;
    return di->types;
}

/* A reload asks for each function it changed: a search, not a walk. */
const struct debug_func *debug_func_named(const struct debug_info *di, const char *name)
{
    size_t lo = 0, hi = di ? di->nfuncs : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(di->funcs[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return di && lo < di->nfuncs && !strcmp(di->funcs[lo].name, name) ? &di->funcs[lo] : NULL;
}
