/* Lay out the image: gather input sections into output sections the way
 * GNU ld's default script names them (.text.* -> .text, ...), group those
 * into segments by permission (text RX, rodata R, relro R after
 * relocation, data+bss RW), add GOT slots and call stubs, and assign every
 * section and symbol its address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jump.h"
#include "linker.h"
#include "reloc.h"
#include "util.h"

#define NO_PRIORITY 65536

/* PREFIX(s): the prefix and its length, counted by the compiler: every
 * input section's name is looked up here (10,000 in a 1,000-object start). */
#define PREFIX(s) s, sizeof(s) - 1
static const struct {
    const char *prefix;
    size_t len;
    const char *out;
} output_names[] = {
    {PREFIX(".text."), ".text"},           {PREFIX(".rodata."), ".rodata"},
    {PREFIX(".data.rel.ro."), ".data.rel.ro"}, {PREFIX(".data.rel.ro"), ".data.rel.ro"},
    {PREFIX(".data."), ".data"},           {PREFIX(".bss."), ".bss"},
    {PREFIX(".tdata."), ".tdata"},         {PREFIX(".tbss."), ".tbss"},
    {PREFIX(".init_array."), ".init_array"}, {PREFIX(".fini_array."), ".fini_array"},
    {PREFIX(".ctors"), ".init_array"},     {PREFIX(".dtors"), ".fini_array"},
    {PREFIX(".gcc_except_table."), ".gcc_except_table"},
    {PREFIX(".gnu.linkonce.t."), ".text"}, {PREFIX(".gnu.linkonce.r."), ".rodata"},
    {PREFIX(".gnu.linkonce.d."), ".data"}, {PREFIX(".gnu.linkonce.b."), ".bss"},
    {PREFIX(".tm_clone_table"), ".tm_clone_table"},
};

static const char *output_name(const char *name)
{
    if (name[0] != '.')
        return name; /* and name[1] is past an empty name's end */
    for (size_t i = 0; i < ARRAY_SIZE(output_names); i++)
        if (name[1] == output_names[i].prefix[1] && !strncmp(name, output_names[i].prefix, output_names[i].len))
            return output_names[i].out;
    return name;
}

static bool is_relro(const char *out)
{
    return !strcmp(out, ".data.rel.ro") || !strcmp(out, ".init_array") ||
           !strcmp(out, ".fini_array") || !strcmp(out, ".preinit_array");
}

/* A thread-local section's bytes in the image are only its initialization
 * image: relocated, then copied into the link's TLS module (tls.c). */
static enum segment segment_of(const struct section *s, const char *out)
{
    if (s->flags & SHF_EXECINSTR)
        return SEG_TEXT;
    if (s->flags & SHF_TLS)
        return SEG_RELRO;
    if (!(s->flags & SHF_WRITE))
        return SEG_RODATA;
    return is_relro(out) ? SEG_RELRO : SEG_DATA;
}

/* init/fini order: .init_array.N by N, .ctors.N as 65535-N, then the
 * unnumbered ones in link order. .ctors entries run last to first. */
static void set_priority(struct section *s)
{
    const char *dot = strrchr(s->name, '.');
    bool ctors = !strncmp(s->name, ".ctors", 6) || !strncmp(s->name, ".dtors", 6);
    s->reversed = ctors;
    s->priority = NO_PRIORITY;
    if (dot && dot != s->name && dot[1] >= '0' && dot[1] <= '9') {
        int n = atoi(dot + 1);
        s->priority = ctors ? 65535 - n : n;
    }
}

static struct outsec *get_outsec(struct link *ld, const char *name, enum segment seg, bool nobits)
{
    for (size_t i = 0; i < ld->noutsecs; i++)
        if (ld->outsecs[i]->seg == seg && ld->outsecs[i]->nobits == nobits && !strcmp(ld->outsecs[i]->name, name))
            return ld->outsecs[i];
    struct outsec *o = xcalloc(1, sizeof *o);
    o->name = name;
    o->seg = seg;
    o->nobits = nobits;
    o->align = 1;
    ARRAY_PUSH(ld->outsecs, ld->noutsecs, ld->capoutsecs, o);
    return o;
}

/* The first letter after the dot spares the string compares of every
 * other section (18,000 in a 1,000-object start). */
static bool is_init_or_fini(const char *out)
{
    return out[0] == '.' && (out[1] == 'i' || out[1] == 'f' || out[1] == 'p') &&
           (!strcmp(out, ".init_array") || !strcmp(out, ".fini_array") || !strcmp(out, ".preinit_array"));
}

static void place_section(struct link *ld, struct section *s)
{
    const char *out = output_name(s->name);
    struct outsec *o = get_outsec(ld, out, segment_of(s, out), s->type == SHT_NOBITS);
    if (is_init_or_fini(out))
        set_priority(s);
    s->out = o;
    ARRAY_PUSH(o->in, o->nin, o->capin, s);
}

/* Each COMMON symbol becomes a .bss section of its own. */
static void allocate_commons(struct link *ld)
{
    for (size_t i = 0; i < ld->symtab.cap; i++) {
        struct symbol *s = ld->symtab.slots[i].value;
        if (!ld->symtab.slots[i].key || s->kind != SYM_COMMON)
            continue;
        struct section *sec = xcalloc(1, sizeof *sec);
        sec->obj = s->file;
        sec->name = ".bss";
        sec->type = SHT_NOBITS;
        sec->flags = SHF_ALLOC | SHF_WRITE;
        sec->size = s->size;
        sec->align = s->align;
        s->kind = SYM_DEFINED;
        s->sec = sec;
        s->value = 0;
        ARRAY_PUSH(ld->commons, ld->ncommons, ld->capcommons, sec);
        place_section(ld, sec);
    }
}

static void sort_by_priority(struct outsec *o)
{
    for (size_t i = 1; i < o->nin; i++) { /* stable: equal priorities keep link order */
        struct section *s = o->in[i];
        size_t j = i;
        for (; j > 0 && o->in[j - 1]->priority > s->priority; j--)
            o->in[j] = o->in[j - 1];
        o->in[j] = s;
    }
}

/* GNU ld makes a library function's PLT entry its address when non-PIC
 * code takes that address in 32 bits. The stub is hotld's PLT entry; as
 * the symbol's address it serves every reference of the link, so the
 * function keeps one address. */
static bool stub_must_be_address(const struct symbol *s, uint32_t type)
{
    return x86_reloc_is_abs32(type) && !s->stub_is_address &&
           (s->kind == SYM_DSO || s->kind == SYM_EXTERNAL) && s->addr > INT32_MAX &&
           is_code_address(s->addr);
}

/* What relocation k of sec needs: a GOT slot for a GOT-relative one; a
 * call stub for a call whose target may be out of rel32 range (shared
 * libraries, undefined weak = 0, an IFUNC's choice) and for a 32-bit
 * absolute reference to a library function. */
static void allocate_for_reloc(struct link *ld, struct section *sec, size_t k)
{
    uint32_t type = ELF64_R_TYPE(sec->relas[k].r_info);
    struct symbol *s = sec->obj->syms[ELF64_R_SYM(sec->relas[k].r_info)];
    if (x86_reloc_is_tls(type)) {
        tls_allocate_got(ld, sec, k, s);
        return;
    }
    if (x86_reloc_needs_got(type) && s->got < 0)
        add_got(ld, s, GOT_ADDR);
    bool far = s->kind == SYM_DSO || s->kind == SYM_UNDEF || s->kind == SYM_EXTERNAL ||
               s->type == STT_GNU_IFUNC;
    if (far && x86_reloc_may_need_stub(type) && s->stub < 0) {
        s->stub = ld->nstubs;
        ARRAY_PUSH(ld->stubs, ld->nstubs, ld->capstubs, s);
    }
    if (stub_must_be_address(s, type))
        s->stub_is_address = true;
}

static void allocate_got_and_stubs(struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++) {
        struct object *obj = ld->objs[i];
        for (size_t j = 1; j < obj->nsecs; j++)
            for (size_t k = 0; obj->secs[j].out && k < obj->secs[j].nrelas; k++)
                allocate_for_reloc(ld, &obj->secs[j], k);
    }
}

/* Once the stubs have addresses: those that are their symbols' addresses
 * take the place, and calls through them go where the symbol was. */
static void make_stubs_addresses(struct link *ld)
{
    for (size_t i = 0; i < ld->nstubs; i++) {
        struct symbol *s = ld->stubs[i];
        if (s->stub_is_address && s->addr != ld->image->stubs + i * STUB_SIZE) {
            s->call_addr = s->addr;
            s->addr = ld->image->stubs + i * STUB_SIZE;
        }
    }
}

static bool is_c_identifier(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/* Writable data a program's pointers may reach: not registries (named as
 * C identifiers, walked from __start_ to __stop_, so kept contiguous),
 * constructor lists or thread-local data. */
static bool is_plain_data(const struct section *s)
{
    return (s->flags & SHF_WRITE) && !(s->flags & (SHF_EXECINSTR | SHF_TLS)) && s->type != SHT_INIT_ARRAY &&
           s->type != SHT_FINI_ARRAY && s->type != SHT_PREINIT_ARRAY && !is_c_identifier(s->name);
}

/* Extra bytes after an input section: .eh_frame pieces get a zero
 * terminator so that each object's frames can be registered on its own;
 * code gets room for a 5-byte jump, so that a reload can redirect even a
 * tiny function at the end of its section (int3-filled when relocated);
 * plain data a gap, so that no section ends where the next begins: a word
 * that holds where a variable starts is then not also a pointer past the
 * section before it (a loop's bound), and a reload that moves the
 * variable can follow it (reload/pointerscan.c). An empty section gets
 * none: it holds nothing to redirect or follow, and gcc's empty .data and
 * .bss in every object of code alone would otherwise make a reload of
 * one map a page of data. */
uint64_t padding_after(const struct section *s)
{
    if (!s->size)
        return 0;
    if (s->type == SHT_X86_64_UNWIND || !strcmp(s->name, ".eh_frame"))
        return 4;
    if (is_plain_data(s))
        return DATA_GAP;
    return s->flags & SHF_EXECINSTR ? CODE_PADDING : 0;
}

static uint64_t size_outsec(struct outsec *o)
{
    uint64_t off = 0;
    for (size_t i = 0; i < o->nin; i++) {
        struct section *s = o->in[i];
        if (s->align > o->align)
            o->align = s->align;
        off = ALIGN_UP(off, s->align);
        s->out_offset = off;
        off += s->size + padding_after(s);
    }
    return o->size = off;
}

/* Where the linker's own tables go, as offsets from the image base. */
struct made_offsets {
    uint64_t got, stubs, eh_frame_hdr;
};

/* Offsets of each output section from the image base, segment by segment;
 * bss-like sections go last in the data segment. The first page is left
 * for headers: a file that tools read the image from (gdb/imagefile.c)
 * is mapped over it whole, its ELF header first, as a linked file is.
 * The relocated data starts in the constants' last page: both end up
 * read-only, and a small object's reload then maps one page for them,
 * not two (segment_pages). */
static size_t assign_offsets(struct link *ld, uint64_t seg_off[NSEGMENTS + 1], struct made_offsets *made)
{
    size_t page = sysconf(_SC_PAGESIZE);
    uint64_t off = page;
    for (int seg = 0; seg < NSEGMENTS; seg++) {
        seg_off[seg] = off;
        for (int nobits = 0; nobits <= 1; nobits++)
            for (size_t i = 0; i < ld->noutsecs; i++) {
                struct outsec *o = ld->outsecs[i];
                if (o->seg != (enum segment)seg || o->nobits != nobits)
                    continue;
                size_outsec(o);
                off = ALIGN_UP(off, o->align);
                o->addr = off; /* relative until the base is known */
                off += o->size;
            }
        if (seg == SEG_TEXT) {
            off = ALIGN_UP(off, STUB_SIZE);
            made->stubs = off;
            off += ld->nstubs * STUB_SIZE;
        } else if (seg == SEG_RODATA) {
            off = ALIGN_UP(off, 4);
            made->eh_frame_hdr = off;
            off += ld->image->eh_frame_hdr_size = eh_frame_hdr_size(ld);
        } else if (seg == SEG_RELRO) {
            off = ALIGN_UP(off, 8);
            made->got = off;
            off += (ld->ngot ? ld->ngot : 1) * 8;
        }
        if (seg != SEG_RODATA)
            off = ALIGN_UP(off, page);
    }
    seg_off[NSEGMENTS] = off;
    return off;
}

static void set_symbol_address(struct symbol *s)
{
    if (s->kind == SYM_DEFINED && s->sec)
        s->addr = s->sec->discarded || !s->sec->out ? 0 : s->sec->addr + s->value;
}

static void set_addresses(struct link *ld, struct image *im)
{
    for (size_t i = 0; i < ld->noutsecs; i++) {
        struct outsec *o = ld->outsecs[i];
        o->addr += im->base;
        for (size_t j = 0; j < o->nin; j++)
            o->in[j]->addr = o->addr + o->in[j]->out_offset;
    }
    for (size_t i = 0; i < ld->nobjs; i++) {
        struct object *obj = ld->objs[i];
        for (size_t j = 1; j < obj->nsyms; j++)
            set_symbol_address(obj->syms[j]);
    }
}

static struct outsec *find_outsec(struct link *ld, const char *name)
{
    for (size_t i = 0; i < ld->noutsecs; i++)
        if (!strcmp(ld->outsecs[i]->name, name))
            return ld->outsecs[i];
    return NULL;
}

/* The input section that takes most of the image. */
static const struct section *largest_section(const struct link *ld)
{
    const struct section *big = NULL;
    for (size_t i = 0; i < ld->noutsecs; i++)
        for (size_t j = 0; j < ld->outsecs[i]->nin; j++)
            if (!big || ld->outsecs[i]->in[j]->size > big->size)
                big = ld->outsecs[i]->in[j];
    return big;
}

/* An image bigger than what is left of its region: the error names the
 * input that makes it so. */
static int image_too_big(const struct link *ld, size_t size, size_t room)
{
    const struct section *big = largest_section(ld);
    room >>= 20;
    if (!big)
        return fail("the image would take %zu MiB; %zu MiB of its address space are left", size >> 20, room);
    return fail("%s: section '%s' of %lu MiB makes the image %zu MiB; %zu MiB of its address space are left",
                big->obj->name, big->name, (unsigned long)(big->size >> 20), size >> 20, room);
}

/* Where the bytes the link writes end, as an offset: at the first bss-like
 * section, or the end of the image. */
static uint64_t written_end(const struct link *ld, const uint64_t seg_off[NSEGMENTS + 1])
{
    uint64_t end = seg_off[NSEGMENTS];
    for (size_t i = 0; i < ld->noutsecs; i++)
        if (ld->outsecs[i]->nobits && ld->outsecs[i]->size && ld->outsecs[i]->addr < end)
            end = ld->outsecs[i]->addr;
    return end;
}

/* The bytes the link writes: its sections', less the holes alignment
 * leaves between them. */
static uint64_t bytes_written(const struct link *ld)
{
    uint64_t n = 0;
    for (size_t i = 0; i < ld->noutsecs; i++)
        for (size_t j = 0; j < ld->outsecs[i]->nin && !ld->outsecs[i]->nobits; j++)
            n += ld->outsecs[i]->in[j]->size;
    return n;
}

/* The pages the link writes, faulted in at once (region_prefault); not
 * if alignment made the range mostly holes (an object may align a section
 * to 4 GiB: a 3-line program took 260 MiB so), whose pages then fault as
 * they are written. The slack is the pages between segments. */
static void prefault_written(const struct link *ld, uintptr_t start, const uint64_t seg_off[NSEGMENTS + 1])
{
    uint64_t span = written_end(ld, seg_off) - seg_off[0];
    if (span <= 2 * bytes_written(ld) + (64u << 10))
        region_prefault(start + seg_off[0], span);
}

int link_layout(struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++) {
        struct object *obj = ld->objs[i];
        for (size_t j = 1; j < obj->nsecs; j++)
            if (!obj->secs[j].discarded && section_is_loadable(&obj->secs[j]))
                place_section(ld, &obj->secs[j]);
        if (obj->needs_low)
            ld->low = true;
    }
    allocate_commons(ld);
    for (size_t i = 0; i < ld->noutsecs; i++)
        if (ld->outsecs[i]->seg == SEG_RELRO)
            sort_by_priority(ld->outsecs[i]);
    allocate_got_and_stubs(ld);

    uint64_t seg_off[NSEGMENTS + 1];
    struct made_offsets made = {0};
    size_t size = assign_offsets(ld, seg_off, &made);
    struct image *im = ld->image;
    size_t room;
    if (ld->rehearse_at || ld->opts->scratch) {
        uintptr_t pages = rehearsal_alloc(size);
        if (!pages)
            return -1;
        im->base = ld->rehearse_at ? ld->rehearse_at->base : pages;
        im->bias = (intptr_t)(pages - im->base);
        im->own_pages = true;
    } else if ((room = region_room(ld->low)) && size > room) {
        return image_too_big(ld, size, room);
    } else if (!(im->base = region_alloc(&size, ld->low, !ld->opts->hooks))) {
        return -1;
    }
    im->size = size;
    for (int seg = 0; seg < NSEGMENTS; seg++) {
        im->seg_start[seg] = im->base + seg_off[seg];
        im->seg_end[seg] = im->base + seg_off[seg + 1];
    }
    prefault_written(ld, im->base + im->bias, seg_off);
    im->got = im->base + made.got;
    im->stubs = im->base + made.stubs;
    im->eh_frame_hdr = im->eh_frame_hdr_size ? im->base + made.eh_frame_hdr : 0;
    set_addresses(ld, im);
    make_stubs_addresses(ld);
    return 0;
}

static const struct {
    const char *sym, *sec;
    bool end;
} array_bounds[] = {
    {"__init_array_start", ".init_array", false}, {"__init_array_end", ".init_array", true},
    {"__fini_array_start", ".fini_array", false}, {"__fini_array_end", ".fini_array", true},
    {"__preinit_array_start", ".preinit_array", false},
    {"__preinit_array_end", ".preinit_array", true},
};

/* Symbols GNU ld defines for the program, resolved from the layout. */
static const char *const linker_symbols[] = {
    "_GLOBAL_OFFSET_TABLE_", "__dso_handle", "__ehdr_start", "__executable_start",
    "_etext", "etext", "__etext", "_edata", "edata", "__bss_start", "_end", "end",
    "_TLS_MODULE_BASE_",
};


bool is_linker_defined(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(linker_symbols); i++)
        if (!strcmp(name, linker_symbols[i]))
            return true;
    for (size_t i = 0; i < ARRAY_SIZE(array_bounds); i++)
        if (!strcmp(name, array_bounds[i].sym))
            return true;
    return (!strncmp(name, "__start_", 8) && is_c_identifier(name + 8)) ||
           (!strncmp(name, "__stop_", 7) && is_c_identifier(name + 7));
}

static bool is_section_bound(const char *name)
{
    return !strncmp(name, "__start_", 8) || !strncmp(name, "__stop_", 7);
}

/* Start (or end) of an output section; 0 if the image has none. */
static uintptr_t outsec_bound(struct link *ld, const char *name, bool end)
{
    struct outsec *o = find_outsec(ld, name);
    return o ? o->addr + (end ? o->size : 0) : 0;
}

static uintptr_t linker_symbol_value(struct link *ld, const char *n)
{
    struct image *im = ld->image;
    if (!strcmp(n, "_GLOBAL_OFFSET_TABLE_"))
        return im->got;
    if (!strcmp(n, "_etext") || !strcmp(n, "etext") || !strcmp(n, "__etext"))
        return im->seg_end[SEG_TEXT];
    if (!strcmp(n, "_edata") || !strcmp(n, "edata") || !strcmp(n, "__bss_start"))
        return outsec_bound(ld, ".bss", false) ? outsec_bound(ld, ".bss", false) : im->seg_end[SEG_DATA];
    if (!strcmp(n, "_end") || !strcmp(n, "end"))
        return im->seg_end[SEG_DATA];
    const struct symbol *program_bound = ld->opts->live ? strmap_get(&ld->opts->live->symtab, n) : NULL;
    if (is_section_bound(n) && program_bound && program_bound->kind == SYM_LINKER && program_bound->addr)
        return program_bound->addr; /* a reload's code walks the program's registry, not its own part */
    if (!strncmp(n, "__start_", 8))
        return outsec_bound(ld, n + 8, false);
    if (!strncmp(n, "__stop_", 7))
        return outsec_bound(ld, n + 7, true);
    for (size_t i = 0; i < ARRAY_SIZE(array_bounds); i++)
        if (!strcmp(n, array_bounds[i].sym))
            return outsec_bound(ld, array_bounds[i].sec, array_bounds[i].end);
    /* __dso_handle, __ehdr_start, __executable_start: the program's, as
     * in one executable, in a reload too. (One __dso_handle also keeps the
     * code that passes it to __cxa_atexit the same from one reload to the
     * next, and code relocated again later uses the live table's.) */
    return ld->opts->live ? ld->opts->live->image->base : im->base;
}

int link_bind_linker_symbols(struct link *ld)
{
    for (size_t i = 0; i < ld->symtab.cap; i++) {
        struct symbol *s = ld->symtab.slots[i].value;
        if (!ld->symtab.slots[i].key || s->kind != SYM_LINKER)
            continue;
        s->addr = linker_symbol_value(ld, s->name);
        if (is_section_bound(s->name) && !s->addr && s->bind != STB_WEAK)
            return fail("undefined symbol '%s' (referenced by %s): no section named '%s'",
                        s->name, s->referrer->name, strchr(s->name + 2, '_') + 1);
    }
    return 0;
}

/* The pages segment seg of im lies on; [0, 0) if it is empty. The page
 * the constants share with the relocated data is both segments'. */
void segment_pages(const struct image *im, enum segment seg, uintptr_t *start, uintptr_t *end)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    *start = *end = 0;
    if (im->seg_end[seg] > im->seg_start[seg]) {
        *start = im->seg_start[seg] & ~(page - 1);
        *end = ALIGN_UP(im->seg_end[seg], page);
    }
}

int segment_prot(enum segment seg)
{
    static const int prot[NSEGMENTS] = {
        [SEG_TEXT] = PROT_READ | PROT_EXEC,
        [SEG_RODATA] = PROT_READ,
        [SEG_RELRO] = PROT_READ,
        [SEG_DATA] = PROT_READ | PROT_WRITE,
    };
    return prot[seg];
}

uintptr_t image_mark_unused(struct link *ld)
{
    struct image *im = ld->image;
    uintptr_t used = im->seg_start[SEG_DATA];
    for (size_t i = 0; i < ld->noutsecs; i++) {
        const struct outsec *o = ld->outsecs[i];
        for (size_t j = 0; o->seg == SEG_DATA && j < o->nin; j++) {
            const struct section *s = o->in[j];
            if (!s->storage_unused && !s->discarded && s->addr + s->size > used)
                used = s->addr + s->size;
        }
    }
    used = ALIGN_UP(used, (uintptr_t)sysconf(_SC_PAGESIZE));
    if (used < im->seg_end[SEG_DATA])
        im->seg_end[SEG_DATA] = used;
    return used;
}

void image_trim_unused(struct link *ld)
{
    struct image *im = ld->image;
    uintptr_t used = im->seg_end[SEG_DATA], end = im->base + im->size;
    if (im->own_pages || used >= end)
        return;
    region_release(used, end - used);
    im->size = used - im->base;
}
