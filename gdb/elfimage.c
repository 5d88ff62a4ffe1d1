/* The ELF image GDB reads for one generation of the program: all its
 * objects in one file, so that GDB handles one registration per reload
 * instead of one per object (each registration makes GDB re-set every
 * breakpoint, which is quadratic over a thousand objects).
 *
 * The image is a relocated "executable": the DWARF sections of every object
 * are concatenated by name and their relocations applied here (addresses
 * of loaded code and data, offsets into the concatenated debug sections);
 * symbols carry their load addresses; the loaded code and data appear as
 * NOBITS sections at their addresses, since GDB reads them from memory.
 * In the spirit of LuaJIT's lj_gdbjit.c.
 *
 * The same image, made mappable, is the file the code of a generation is
 * mapped from for the tools that read names from files (imagefile.c): a
 * shared object whose read-only segments hold the code and constants as
 * loaded, at file offsets equal to their addresses, which are the load
 * addresses less the image base (plus a page for the headers). */
#include "elfimage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "background.h"
#include "demangle.h"
#include "oldnames.h"
#include "strbuf.h"
#include "util.h"

struct merged {                 /* one concatenated debug section */
    const char *name;
    char *buf;
    size_t size, cap;
    bool in_slab;               /* buf is a place in the builder's slab */
};

struct builder {
    struct merged *debug;
    size_t ndebug, capdebug;
    char *slab;                 /* the current objects' debug sections */
    const char *suffix;         /* "#N" while adding an old version */
    const char *source_dir;     /* where that version's sources are kept */
    struct source_list *sources;
    struct strbuf strtab, shstrtab;
    Elf64_Sym *syms;
    size_t nsyms, capsyms;
    uintptr_t rebase;           /* load address of the image's address 0 */
    const char *segments_from;  /* mappable: an earlier file of the image */
    bool mappable;
    const struct debug_run *places; /* the sections that stand for loaded */
    size_t nplaces;             /* code and data, in address order */
    struct debug_run segments[NSEGMENTS]; /* places of a whole generation */
    bool unwind;                /* the generation's unwind tables are in */
};

static bool is_debug(const struct section *s)
{
    return s->type == SHT_PROGBITS && !strncmp(s->name, ".debug_", 7);
}

static struct merged *merged_for(struct builder *b, const char *name)
{
    for (size_t i = 0; i < b->ndebug; i++)
        if (!strcmp(b->debug[i].name, name))
            return &b->debug[i];
    struct merged m = {.name = name};
    ARRAY_PUSH(b->debug, b->ndebug, b->capdebug, m);
    return &b->debug[b->ndebug - 1];
}

/* One block for the debug sections of the current objects, each merged
 * section given its place: a large one is on huge pages (util.h), and
 * nothing is copied as it grows. (A thousand objects' 3 MB, grown by
 * doubling, cost 700 page faults, 9 ms on a virtual machine.) */
static void reserve_debug(struct builder *b, struct object *const *objs, size_t n)
{
    for (size_t j = 0; j < n; j++)
        for (size_t i = 1; i < objs[j]->nsecs; i++) {
            uint64_t size;
            if (is_debug(&objs[j]->secs[i]) && object_debug_bytes(objs[j], i, &size))
                merged_for(b, objs[j]->secs[i].name)->cap += size;
        }
    size_t total = 0;
    for (size_t i = 0; i < b->ndebug; i++)
        total += b->debug[i].cap;
    b->slab = xmalloc(total);
    for (size_t i = 0, at = 0; i < b->ndebug; at += b->debug[i++].cap) {
        b->debug[i].buf = b->slab + at;
        b->debug[i].in_slab = true;
    }
}

/* Room for n more bytes at the end of m: a section that outgrows its
 * place in the slab (an old version's, renamed) moves out. */
static char *room_at_end(struct merged *m, size_t n)
{
    if (m->size + n > m->cap && m->in_slab) {
        char *own = NULL;
        size_t cap = 0;
        grow_array((void **)&own, &cap, m->size + n, 1);
        m->buf = memcpy(own, m->buf, m->size);
        m->cap = cap;
        m->in_slab = false;
    }
    grow_array((void **)&m->buf, &m->cap, m->size + n, 1);
    return m->buf + m->size;
}

/* How many bytes debug section i has in the image: uncompressed, for a
 * gcc -gz object. */
static uint64_t debug_size(struct object *obj, size_t i)
{
    uint64_t size;
    object_debug_bytes(obj, i, &size);
    return size;
}

/* Append obj's debug sections; piece[i] is where section i landed. */
static void append_debug(struct builder *b, struct object *obj, int64_t *piece)
{
    for (size_t i = 1; i < obj->nsecs; i++) {
        const struct section *s = &obj->secs[i];
        const void *bytes;
        uint64_t size;
        piece[i] = -1;
        if (!is_debug(s) || !(bytes = object_debug_bytes(obj, i, &size)) || !size)
            continue;
        struct merged *m = merged_for(b, s->name);
        memcpy(room_at_end(m, size), bytes, size);
        piece[i] = m->size;
        m->size += size;
    }
}

/* The value a debug relocation's symbol stands for in the image. */
static uint64_t symbol_value(const struct builder *b, const struct object *obj, const Elf64_Sym *es,
                             const int64_t *piece)
{
    size_t u = es->st_shndx;
    if (u == SHN_ABS)
        return es->st_value;
    if (u == SHN_UNDEF || u >= obj->nsecs)
        return 0;
    if (piece[u] >= 0)
        return piece[u] + es->st_value;
    const struct section *s = &obj->secs[u];
    return s->out && !s->discarded ? s->addr + es->st_value - b->rebase : 0;
}

/* A debug relocation against a section the link dropped (a COMDAT copy
 * kept in another object) stands for what GNU ld makes of it: the kept
 * copy when it is the same size, else a tombstone, without the addend:
 * 1 in range and location lists, where (0, 0) would end the list, 0
 * elsewhere. False if the section was not dropped. */
static bool dropped_value(const struct builder *b, const struct object *obj, const Elf64_Sym *es, int64_t addend,
                          const char *debug_section, uint64_t *v)
{
    size_t u = es->st_shndx;
    if (u == 0 || u >= obj->nsecs || !obj->secs[u].discarded)
        return false;
    const struct section *s = &obj->secs[u], *k = s->kept;
    if (k && k->out && !k->discarded && k->size == s->size)
        *v = k->addr - b->rebase + es->st_value + (uint64_t)addend;
    else
        *v = !strcmp(debug_section, ".debug_ranges") || !strcmp(debug_section, ".debug_loc");
    return true;
}

/* A variable kept from an earlier version lives at the old address, not in
 * this version's section: DWARF locations must say so too. (Code binds are
 * function addresses kept for pointers; the code itself is the new one.) */
static int64_t kept_delta(const struct object *obj, const Elf64_Sym *es, int64_t addend)
{
    size_t u = es->st_shndx;
    int64_t delta = 0;
    if (u > 0 && u < obj->nsecs && !(obj->secs[u].flags & SHF_EXECINSTR))
        bind_delta_at(&obj->secs[u], (int64_t)(es->st_value + (uint64_t)addend), &delta); /* wraps as ld's sums */
    return delta;
}

/* Where a thread-local variable is for the loader: in its link's TLS
 * module, or, kept from an earlier version, where that version had it. */
static uintptr_t tls_variable(const struct object *obj, const Elf64_Sym *es, int64_t addend)
{
    if (es->st_shndx == SHN_UNDEF || es->st_shndx >= obj->nsecs)
        return 0;
    const struct section *s = &obj->secs[es->st_shndx];
    int64_t delta = kept_delta(obj, es, addend);
    if (delta)
        return s->addr + es->st_value + addend + delta;
    return tls_section_address(s) + es->st_value + addend;
}

/* GDB cannot find the TLS blocks of hot-loaded code the usual way: it
 * asks libthread_db with the link map of the variable's shared library,
 * and a JIT image has none. Without a link map, GDB (as for a static
 * executable) takes the address as module 1's block plus the offset in
 * the location. Module 1 is in static TLS, like ours, so the offset
 * between the two blocks is the same in every thread; the debug info
 * gets that offset instead of x@dtpoff. It may be negative: gcc puts a
 * 32-bit x@dtpoff in the low half of a DW_OP_const8u operand, so then
 * all 8 bytes are written. at: the relocated field, after avail bytes. */
static void write_tls_offset(char *at, uint64_t before, uint64_t avail, int width, uintptr_t var)
{
    enum { DW_OP_const8u = 0x0e };
    struct tls_place place, first;
    if (!var || tls_locate(var, &place) < 0 || !place.is_static || tls_first_module(&first) < 0)
        return;
    if (before >= 1 && (uint8_t)at[-1] == DW_OP_const8u && avail >= 8)
        width = 8;
    uint64_t v = (uint64_t)(place.tpoff - first.tpoff);
    memcpy(at, &v, width);
}

static void relocate_debug(struct builder *b, struct object *obj, const int64_t *piece)
{
    size_t nsyms;
    const Elf64_Sym *es = object_raw_symbols(obj, &nsyms);
    for (size_t i = 1; i < obj->nsecs; i++) {
        const struct section *r = &obj->secs[i];
        GElf_Shdr sh;
        const Elf64_Rela *rel;
        if (r->type != SHT_RELA || !gelf_getshdr(elf_getscn(obj->elf, i), &sh) || sh.sh_info >= obj->nsecs ||
            piece[sh.sh_info] < 0 || !(rel = object_section_bytes(obj, i)))
            continue;
        const struct section *t = &obj->secs[sh.sh_info];
        char *base = merged_for(b, t->name)->buf + piece[sh.sh_info];
        uint64_t size = debug_size(obj, sh.sh_info);
        for (size_t k = 0; k < r->size / sizeof *rel; k++) {
            uint32_t type = ELF64_R_TYPE(rel[k].r_info), sym = ELF64_R_SYM(rel[k].r_info);
            int width = type == R_X86_64_64 || type == R_X86_64_PC64 || type == R_X86_64_DTPOFF64 ? 8 : 4;
            if (sym >= nsyms || rel[k].r_offset > size || size - rel[k].r_offset < (uint64_t)width)
                continue;
            if (type == R_X86_64_NONE)
                continue; /* nothing to write */
            if (type == R_X86_64_DTPOFF64 || type == R_X86_64_DTPOFF32) {
                write_tls_offset(base + rel[k].r_offset, rel[k].r_offset, size - rel[k].r_offset, width,
                                 tls_variable(obj, &es[sym], rel[k].r_addend));
                continue;
            }
            uint64_t v;
            if (!dropped_value(b, obj, &es[sym], rel[k].r_addend, t->name, &v))
                v = symbol_value(b, obj, &es[sym], piece) + rel[k].r_addend + kept_delta(obj, &es[sym], rel[k].r_addend);
            if (type == R_X86_64_PC32 || type == R_X86_64_PC64)
                v -= piece[sh.sh_info] + rel[k].r_offset;
            memcpy(base + rel[k].r_offset, &v, width);
        }
    }
}

static struct dwarf_section whole(struct builder *b, const char *name)
{
    struct merged *m = merged_for(b, name);
    return (struct dwarf_section){(unsigned char *)m->buf, m->size};
}

static struct dwarf_section current_strings(void *ctx, bool line_str)
{
    return whole(ctx, line_str ? ".debug_line_str" : ".debug_str");
}

static uint32_t add_string(void *ctx, bool line_str, const char *text)
{
    struct builder *b = ctx;
    struct merged *m = merged_for(b, line_str ? ".debug_line_str" : ".debug_str");
    size_t n = strlen(text) + 1;
    uint32_t at = m->size;
    memcpy(room_at_end(m, n), text, n);
    m->size += n;
    return at;
}

static struct dwarf_view view_of(struct builder *b)
{
    return (struct dwarf_view){.abbrev = whole(b, ".debug_abbrev"),
                               .str_offsets = whole(b, ".debug_str_offsets"),
                               .strings = current_strings, .add_string = add_string, .ctx = b,
                               .suffix = b->suffix, .source_dir = b->source_dir};
}

/* Rename obj's .debug_info and .debug_line pieces (see oldnames.c). */
static bool rename_pieces(struct builder *b, struct object *obj, const int64_t *piece)
{
    struct dwarf_view v = view_of(b);
    for (size_t i = 1; i < obj->nsecs; i++) {
        bool info = !strcmp(obj->secs[i].name, ".debug_info");
        if (piece[i] < 0 || (!info && strcmp(obj->secs[i].name, ".debug_line")))
            continue;
        struct merged *m = merged_for(b, obj->secs[i].name);
        struct dwarf_section sec = {(unsigned char *)m->buf + piece[i], debug_size(obj, i)};
        v.info = info ? sec : (struct dwarf_section){0};
        v.line = info ? (struct dwarf_section){0} : sec;
        if (!dwarf_rename(&v))
            return false;
    }
    return true;
}

/* An old version's DWARF, renamed; if its shape is not understood, its
 * pieces are taken out again (it then keeps only renamed symbols). */
static void add_old_debug(struct builder *b, struct object *obj, const char *suffix)
{
    size_t *sizes = xcalloc(b->ndebug + 1, sizeof *sizes), n = b->ndebug;
    for (size_t i = 0; i < n; i++)
        sizes[i] = b->debug[i].size;
    int64_t *piece = xcalloc(obj->nsecs + 1, sizeof *piece);
    b->suffix = suffix;
    append_debug(b, obj, piece);
    relocate_debug(b, obj, piece);
    if (!rename_pieces(b, obj, piece)) {
        for (size_t i = 0; i < b->ndebug; i++)
            b->debug[i].size = i < n ? sizes[i] : 0;
    }
    xfree(piece);
    xfree(sizes);
}

/* The placeholder sections: the link's segments, empty ones too (a whole
 * generation's image), or the runs of them that cover gives (a chunk's). */
static void set_places(struct builder *b, const struct link *ld, const struct image_cover *cover)
{
    const struct image *im = ld->image;
    b->unwind = !cover || cover->unwind;
    if (cover) {
        b->places = cover->runs;
        b->nplaces = cover->n;
        return;
    }
    for (int seg = 0; seg < NSEGMENTS; seg++)
        b->segments[seg] = (struct debug_run){im->seg_start[seg], im->seg_end[seg], seg, 0};
    b->places = b->segments;
    b->nplaces = NSEGMENTS;
}

/* Index of the placeholder section (1 + its place) holding addr, or 0:
 * the last place that starts at or before it, if it ends after. */
static size_t placeholder_of(const struct builder *b, uint64_t addr)
{
    size_t lo = 0, hi = b->nplaces;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->places[mid].start <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && addr < b->places[lo - 1].end ? lo : 0;
}

/* An old version's name in the symbol table: NAME#N. gdb names C++
 * functions from the DWARF, but the tools that read a file's symbols
 * (perf) demangle, and a demangler drops a suffix it does not know, so a
 * file says "burn(long)#0" where gdb's image says "_Z4burnl#0". */
static void add_symbol_name(struct builder *b, const char *name, const char *suffix)
{
    char *plain = b->mappable && *suffix ? demangle(name) : NULL;
    const char *shown = plain ? plain : name;
    sb_append(&b->strtab, shown, strlen(shown));
    sb_append(&b->strtab, suffix, strlen(suffix) + 1);
    free(plain);
}

/* suffix: "" for a current object; "#N" for a replaced version still
 * mapped (old frames keep their names, and 'break NAME' finds only the
 * current version). */
static void add_symbols(struct builder *b, const struct object *obj, bool locals, const char *suffix)
{
    size_t n;
    const Elf64_Sym *es = object_raw_symbols(obj, &n);
    for (size_t i = 1; i < n; i++) {
        int type = GELF_ST_TYPE(es[i].st_info), bind = GELF_ST_BIND(es[i].st_info);
        size_t u = es[i].st_shndx;
        /* an assembly label made global (no .type) is named as ld names it */
        bool named = type == STT_FUNC || type == STT_OBJECT || (type == STT_NOTYPE && bind != STB_LOCAL);
        if (!named || (bind == STB_LOCAL) != locals ||
            u == 0 || u >= obj->nsecs || !obj->secs[u].out || obj->secs[u].discarded)
            continue;
        /* a kept variable's symbol says where the program has it, as its
         * DWARF does: gdb takes a global's address from its symbol (the
         * way it follows copy relocations) */
        uint64_t addr = obj->secs[u].addr + es[i].st_value + (type == STT_OBJECT ? kept_delta(obj, &es[i], 0) : 0);
        size_t shndx = placeholder_of(b, addr);
        Elf64_Sym s = {(uint32_t)b->strtab.len, es[i].st_info, 0, (uint16_t)shndx, addr - b->rebase, es[i].st_size};
        add_symbol_name(b, obj->syms[i]->name, suffix);
        ARRAY_PUSH(b->syms, b->nsyms, b->capsyms, s);
    }
}

static const struct {
    const char *name;
    uint64_t flags;
} placeholders[NSEGMENTS] = {
    [SEG_TEXT] = {".text", SHF_ALLOC | SHF_EXECINSTR},
    [SEG_RODATA] = {".rodata", SHF_ALLOC},
    [SEG_RELRO] = {".data.rel.ro", SHF_ALLOC | SHF_WRITE},
    [SEG_DATA] = {".data", SHF_ALLOC | SHF_WRITE},
};

struct writer {
    char *buf;
    size_t size, cap;
    Elf64_Shdr *shdrs;
    size_t nshdrs, capshdrs;
    bool mappable;              /* the loaded segments' bytes go in too */
};

/* Put n bytes at offset at (not before what is written), zeros between. */
static size_t put_at(struct writer *w, size_t at, const void *data, size_t n)
{
    grow_array((void **)&w->buf, &w->cap, at + n, 1);
    memset(w->buf + w->size, 0, at - w->size);
    if (n)
        memcpy(w->buf + at, data, n);
    w->size = at + n;
    return at;
}

static size_t put(struct writer *w, const void *data, size_t n, size_t align)
{
    return put_at(w, ALIGN_UP(w->size, align), data, n);
}

static void add_section(struct writer *w, struct builder *b, const char *name, Elf64_Shdr sh)
{
    sh.sh_name = b->shstrtab.len;
    sb_printf(&b->shstrtab, "%s%c", name, 0);
    ARRAY_PUSH(w->shdrs, w->nshdrs, w->capshdrs, sh);
}

/* The generation's unwind tables, as they are in memory: GDB decodes
 * their PC-relative fields against the section's address, so they go in
 * at their load address, byte for byte (each object's piece ends with the
 * zero word that libgcc's registration needs). A mappable image names
 * their index too, which perf's unwinder finds by its section name. */
static void add_eh_frame(struct writer *w, struct builder *b, const struct link *ld)
{
    for (size_t i = 0; i < ld->noutsecs; i++) {
        const struct outsec *o = ld->outsecs[i];
        if (strcmp(o->name, ".eh_frame") || !o->size)
            continue;
        /* a mappable image has the bytes already, in its read-only data */
        size_t at = w->mappable ? o->addr - b->rebase : put(w, (const void *)o->addr, o->size, 8);
        add_section(w, b, ".eh_frame",
                    (Elf64_Shdr){.sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC, .sh_addr = o->addr - b->rebase,
                                 .sh_offset = at, .sh_size = o->size, .sh_addralign = 8});
    }
    const struct image *im = ld->image;
    if (w->mappable && im->eh_frame_hdr_size) {
        uint64_t at = im->eh_frame_hdr - b->rebase;
        add_section(w, b, ".eh_frame_hdr",
                    (Elf64_Shdr){.sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC, .sh_addr = at, .sh_offset = at,
                                 .sh_size = im->eh_frame_hdr_size, .sh_addralign = 4});
    }
}

/* The segments a mappable image holds: all but the data, which stays the
 * process's own memory (a file behind it would only cost its bytes). */
static bool in_file(const struct writer *w, const struct image *im, int seg)
{
    return w->mappable && seg != SEG_DATA && im->seg_end[seg] > im->seg_start[seg];
}

/* The bytes of a segment at file offset `at`: from an earlier file of the
 * image if the builder has one (memory that the program's sanitizer has
 * poisoned since cannot be read), else as they are in memory. */
static const void *segment_bytes(const struct builder *b, const struct image *im, uint64_t at)
{
    return b->segments_from ? b->segments_from + at : image_bytes(im, at + b->rebase);
}

/* A mappable image's program headers, then its segments' bytes as they
 * are in memory now, each at the file offset equal to its address. The
 * relocated data is writable when a loader maps it, as ld.so's is before
 * it applies RELRO: tools recognize an object by one executable and one
 * writable mapping. The unwind tables' index, in the read-only data, is
 * where unwinders look for it: PT_GNU_EH_FRAME.
 *
 * The first PT_LOAD holds the file's headers at address 0, the image's
 * first page, as in any linked file: perf takes the load bias from it
 * (unwinding reads the index at that bias plus its address), and
 * valgrind reads no file with a PT_LOAD it has not seen mapped. A segment
 * that starts in the last page of the one before (the relocated data
 * after the constants) joins its PT_LOAD: a page is mapped once. */
static void add_segments(struct writer *w, const struct builder *b, const struct image *im, Elf64_Ehdr *eh)
{
    static const uint32_t flags[NSEGMENTS] = {
        [SEG_TEXT] = PF_R | PF_X, [SEG_RODATA] = PF_R, [SEG_RELRO] = PF_R | PF_W,
    };
    Elf64_Phdr ph[IMAGE_FILE_MAX_PHDRS];
    size_t n = 1, nload, page = sysconf(_SC_PAGESIZE);
    ph[0] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R, .p_filesz = page, .p_memsz = page, .p_align = page};
    for (int seg = 0; seg < NSEGMENTS; seg++)
        if (in_file(w, im, seg)) {
            uint64_t at = im->seg_start[seg] - b->rebase, end = im->seg_end[seg] - b->rebase;
            Elf64_Phdr *last = &ph[n - 1];
            if (n > 1 && at < ALIGN_UP(last->p_vaddr + last->p_memsz, page)) {
                last->p_flags |= flags[seg];
                last->p_filesz = last->p_memsz = end - last->p_vaddr;
                continue;
            }
            ph[n++] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = flags[seg], .p_offset = at, .p_vaddr = at,
                                   .p_paddr = at, .p_filesz = end - at, .p_memsz = end - at, .p_align = page};
        }
    nload = n;
    if (im->eh_frame_hdr_size) {
        uint64_t at = im->eh_frame_hdr - b->rebase;
        ph[n++] = (Elf64_Phdr){.p_type = PT_GNU_EH_FRAME, .p_flags = PF_R, .p_offset = at, .p_vaddr = at,
                               .p_paddr = at, .p_filesz = im->eh_frame_hdr_size,
                               .p_memsz = im->eh_frame_hdr_size, .p_align = 4};
    }
    eh->e_phoff = put(w, ph, n * sizeof *ph, 8);
    eh->e_phnum = n;
    eh->e_phentsize = sizeof *ph;
    for (size_t i = 1; i < nload; i++)
        put_at(w, ph[i].p_offset, segment_bytes(b, im, ph[i].p_vaddr), ph[i].p_filesz);
}

/* What the image will take, but for padding: its block is allocated
 * once, not grown by doubling (each copy touching new pages). */
static size_t expected_size(const struct builder *b, const struct link *ld, bool mappable)
{
    size_t n = sizeof(Elf64_Ehdr) + b->nsyms * sizeof(Elf64_Sym) + b->strtab.len + 4096;
    for (size_t i = 0; i < b->ndebug; i++)
        n += b->debug[i].size;
    for (size_t i = 0; i < ld->noutsecs; i++)
        n += !b->unwind || strcmp(ld->outsecs[i]->name, ".eh_frame") ? 0 : ld->outsecs[i]->size;
    return n + (mappable ? ld->image->size : 0);
}

static void *write_image(struct builder *b, const struct link *ld, size_t nlocals, bool mappable, size_t *size)
{
    const struct image *im = ld->image;
    struct writer w = {.mappable = mappable, .cap = expected_size(b, ld, mappable)};
    w.buf = xmalloc(w.cap);
    Elf64_Ehdr eh = {0};
    put(&w, &eh, sizeof eh, 8);
    if (mappable)
        add_segments(&w, b, im, &eh);
    sb_printf(&b->shstrtab, "%c", 0);
    add_section(&w, b, "", (Elf64_Shdr){0});
    for (size_t i = 0; i < b->nplaces; i++) {
        const struct debug_run *place = &b->places[i];
        int seg = place->seg;
        uint64_t at = place->start - b->rebase;
        /* data a file does not hold has a name no tool looks for there */
        bool away = mappable && seg == SEG_DATA;
        add_section(&w, b, away ? ".hotld.data" : placeholders[seg].name,
                    (Elf64_Shdr){.sh_type = in_file(&w, im, seg) ? SHT_PROGBITS : SHT_NOBITS,
                                 .sh_flags = placeholders[seg].flags, .sh_addr = at,
                                 .sh_offset = in_file(&w, im, seg) ? at : 0,
                                 .sh_size = place->end - place->start, .sh_addralign = 16});
    }
    if (b->unwind)
        add_eh_frame(&w, b, ld);
    for (size_t i = 0; i < b->ndebug; i++) {
        if (!b->debug[i].size)
            continue; /* made for an old version whose DWARF was dropped */
        size_t at = put(&w, b->debug[i].buf, b->debug[i].size, 1);
        add_section(&w, b, b->debug[i].name,
                    (Elf64_Shdr){.sh_type = SHT_PROGBITS, .sh_offset = at, .sh_size = b->debug[i].size,
                                 .sh_addralign = 1});
    }
    size_t symtab = w.nshdrs;
    size_t at = put(&w, b->syms, b->nsyms * sizeof *b->syms, 8);
    add_section(&w, b, ".symtab",
                (Elf64_Shdr){.sh_type = SHT_SYMTAB, .sh_offset = at, .sh_size = b->nsyms * sizeof *b->syms,
                             .sh_link = symtab + 1, .sh_info = nlocals, .sh_addralign = 8,
                             .sh_entsize = sizeof(Elf64_Sym)});
    at = put(&w, b->strtab.s, b->strtab.len, 1);
    add_section(&w, b, ".strtab", (Elf64_Shdr){.sh_type = SHT_STRTAB, .sh_offset = at,
                                               .sh_size = b->strtab.len, .sh_addralign = 1});
    size_t shstrndx = w.nshdrs;
    add_section(&w, b, ".shstrtab", (Elf64_Shdr){.sh_type = SHT_STRTAB, .sh_addralign = 1});
    w.shdrs[shstrndx].sh_offset = put(&w, b->shstrtab.s, b->shstrtab.len, 1);
    w.shdrs[shstrndx].sh_size = b->shstrtab.len;
    size_t shoff = put(&w, w.shdrs, w.nshdrs * sizeof *w.shdrs, 8);

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
    eh.e_type = mappable ? ET_DYN : ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_shoff = shoff;
    eh.e_ehsize = sizeof eh;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = w.nshdrs;
    eh.e_shstrndx = shstrndx;
    memcpy(w.buf, &eh, sizeof eh);
    xfree(w.shdrs);
    *size = w.size;
    return xrealloc(w.buf, w.size); /* kept as long as the generation: no room to spare */
}

void source_list_free(struct source_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        xfree(l->paths[i]);
    xfree(l->paths);
    *l = (struct source_list){0};
}

static void add_source(void *ctx, const char *name, const char *comp_dir)
{
    struct source_list *l = ctx;
    char *path = name[0] == '/' || !comp_dir[0] ? xstrdup(name) : xasprintf("%s/%s", comp_dir, name);
    ARRAY_PUSH(l->paths, l->n, l->cap, path);
}

/* The source files of obj's compilation units, for snapshots. */
static void list_sources(struct builder *b, struct object *obj, const int64_t *piece)
{
    struct dwarf_view v = view_of(b);
    for (size_t i = 1; i < obj->nsecs; i++)
        if (piece[i] >= 0 && !strcmp(obj->secs[i].name, ".debug_info")) {
            struct merged *m = merged_for(b, ".debug_info");
            v.info = (struct dwarf_section){(unsigned char *)m->buf + piece[i], debug_size(obj, i)};
            dwarf_unit_sources(&v, add_source, b->sources);
        }
}

/* Free what b holds; NULL. */
static void *discard(struct builder *b)
{
    for (size_t i = 0; i < b->ndebug; i++)
        if (!b->debug[i].in_slab)
            xfree(b->debug[i].buf);
    xfree(b->slab);
    xfree(b->debug);
    xfree(b->syms);
    xfree(b->strtab.s);
    xfree(b->shstrtab.s);
    return NULL;
}

/* The image of io's objects, or NULL if background work making it was
 * cut short at exit (base/background.h). */
static void *build(struct builder *b, const struct link *ld, const struct image_objects *io,
                   const struct image_cover *cover, const char *source_root, size_t *size)
{
    struct object *const *objs = io->cur, *const *old = io->old;
    size_t n = io->ncur, nold = io->nold;
    char suffix[16];
    snprintf(suffix, sizeof suffix, "#%u", io->version);
    set_places(b, ld, cover);
    Elf64_Sym null = {0};
    sb_printf(&b->strtab, "%c", 0);
    ARRAY_PUSH(b->syms, b->nsyms, b->capsyms, null);
    reserve_debug(b, objs, n);
    for (size_t j = 0; j < n; j++) {
        if (background_cancelled())
            return discard(b);
        int64_t *piece = xcalloc(objs[j]->nsecs + 1, sizeof *piece);
        append_debug(b, objs[j], piece);
        relocate_debug(b, objs[j], piece);
        if (b->sources)
            list_sources(b, objs[j], piece);
        xfree(piece);
    }
    char *source_dir = source_root ? xasprintf("%s/v%u", source_root, io->version) : NULL;
    b->source_dir = source_dir;
    for (size_t j = 0; j < nold; j++)
        add_old_debug(b, old[j], suffix);
    xfree(source_dir);
    for (size_t j = 0; j < n; j++)
        add_symbols(b, objs[j], true, "");
    for (size_t j = 0; j < nold; j++)
        add_symbols(b, old[j], true, suffix);
    size_t nlocals = b->nsyms;
    for (size_t j = 0; j < n; j++)
        add_symbols(b, objs[j], false, "");
    for (size_t j = 0; j < nold; j++)
        add_symbols(b, old[j], false, suffix);
    void *image = write_image(b, ld, nlocals, b->mappable, size);
    discard(b);
    return image;
}

void *elfimage_build(const struct link *ld, const struct image_objects *objs, const struct image_cover *cover,
                     const char *source_root, struct source_list *sources, size_t *size)
{
    struct builder b = {.sources = sources};
    return build(&b, ld, objs, cover, source_root, size);
}

void *elfimage_build_mappable(const struct link *ld, const struct image_objects *objs,
                              const void *segments_from, size_t *size)
{
    struct builder b = {.rebase = ld->image->base, .mappable = true, .segments_from = segments_from};
    return build(&b, ld, objs, NULL, NULL, size);
}
