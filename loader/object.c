/* Read one ELF relocatable object with libelf and check everything the
 * later passes rely on, so that they can index without checking again:
 * section and symbol indices, names, relocation targets and offsets. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "forksafe.h"
#include "hash.h"
#include "linker.h"
#include "reloc.h"
#include "uncompress.h"
#include "util.h"


static int check_header(const char *name, Elf *elf)
{
    GElf_Ehdr eh;
    if (elf_kind(elf) != ELF_K_ELF)
        return fail("%s: not an ELF object or archive", name);
    if (!gelf_getehdr(elf, &eh))
        return fail("%s: bad ELF header: %s", name, elf_errmsg(-1));
    if (eh.e_ident[EI_CLASS] != ELFCLASS64)
        return fail("%s: 32-bit ELF object; hotld links x86-64 objects (drop -m32)", name);
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64)
        return fail("%s: ELF object for machine %u, not x86-64", name, eh.e_machine);
    if (eh.e_type == ET_EXEC)
        return fail("%s: is an executable, not an object file; pass the .o files it was built from", name);
    if (eh.e_type != ET_REL)
        return fail("%s: ELF type %u is not a relocatable object (.o)", name, eh.e_type);
    if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_ehsize != sizeof(Elf64_Ehdr))
        return fail("%s: ELF header gives header sizes %u and %u, expected %zu and %zu", name,
                    eh.e_ehsize, eh.e_shentsize, sizeof(Elf64_Ehdr), sizeof(Elf64_Shdr));
    return 0;
}

/* Sections that take part in the image. Notes (.note.GNU-stack,
 * .note.gnu.property) and SHF_EXCLUDE sections describe the build only. */
bool section_is_loadable(const struct section *s)
{
    if (!(s->flags & SHF_ALLOC) || (s->flags & SHF_EXCLUDE))
        return false;
    switch (s->type) {
    case SHT_PROGBITS: case SHT_NOBITS: case SHT_INIT_ARRAY: case SHT_FINI_ARRAY:
    case SHT_PREINIT_ARRAY: case SHT_X86_64_UNWIND:
        return true;
    default:
        return false;
    }
}

/* Sections whose bytes a pass reads. */
static bool needs_data(const struct section *s)
{
    switch (s->type) {
    case SHT_NOBITS:
        return false;
    case SHT_RELA: case SHT_SYMTAB: case SHT_STRTAB: case SHT_GROUP: case SHT_SYMTAB_SHNDX:
        return true;
    default:
        return section_is_loadable(s);
    }
}

#define MAX_SECTION_SIZE (1ull << 40)
#define MAX_SECTION_ALIGN (1ull << 32)

/* Bounds that keep the layout's sums and roundings far from wrapping; a
 * file's own bytes are bounded by its size, but .bss and commons have
 * none. what: "section '.bss'", "symbol 'x'". */
static int check_extent(const struct object *obj, const char *what, const char *name, uint64_t size,
                        uint64_t align)
{
    if (align & (align - 1))
        return fail("%s: %s '%s': alignment %lu is not a power of two", obj->name, what, name,
                    (unsigned long)align);
    if (size > MAX_SECTION_SIZE || align > MAX_SECTION_ALIGN)
        return fail("%s: %s '%s': %s %#lx is beyond any image", obj->name, what, name,
                    size > MAX_SECTION_SIZE ? "size" : "alignment",
                    (unsigned long)(size > MAX_SECTION_SIZE ? size : align));
    return 0;
}

/* A string table's bytes, where names are looked up by offset. libelf's
 * elf_strptr checks the table's section header at every call: 45,000
 * calls, 5% of the instructions of a 1,000-object start. */
struct strtab {
    const char *bytes;
    size_t size;
    bool ends_in_nul;           /* then every offset within has its end */
};

static bool strtab_of(const void *bytes, size_t size, struct strtab *t)
{
    if (!bytes || !size)
        return false;
    *t = (struct strtab){bytes, size, ((const char *)bytes)[size - 1] == 0};
    return true;
}

/* The section names' table, which read_sections needs before it reaches
 * the table's own section. */
static bool open_names(const struct object *obj, size_t index, struct strtab *t)
{
    Elf_Scn *scn = elf_getscn(obj->elf, index);
    GElf_Shdr sh;
    Elf_Data *d = scn && gelf_getshdr(scn, &sh) && sh.sh_type == SHT_STRTAB ? elf_getdata(scn, NULL) : NULL;
    return d && strtab_of(d->d_buf, d->d_size, t);
}

/* The NUL-terminated name at offset off, or NULL. */
static const char *strtab_name(const struct strtab *t, uint64_t off)
{
    if (off >= t->size || (!t->ends_in_nul && !memchr(t->bytes + off, 0, t->size - off)))
        return NULL;
    return t->bytes + off;
}

/* For a relocation section, the flags of the section it applies to; 0
 * for other sections. */
static uint64_t applied_flags(Elf *elf, const GElf_Shdr *sh)
{
    GElf_Shdr target;
    Elf_Scn *scn = sh->sh_type == SHT_RELA ? elf_getscn(elf, sh->sh_info) : NULL;
    return scn && gelf_getshdr(scn, &target) ? target.sh_flags : 0;
}

static int read_sections(struct object *obj, size_t shstrndx)
{
    size_t filesize;
    elf_rawfile(obj->elf, &filesize);
    struct strtab names;
    if (!open_names(obj, shstrndx, &names))
        return fail("%s: section name table (section %zu) is not a string table", obj->name, shstrndx);
    for (size_t i = 1; i < obj->nsecs; i++) {
        struct section *s = &obj->secs[i];
        Elf_Scn *scn = elf_getscn(obj->elf, i);
        GElf_Shdr sh;
        if (!scn || !gelf_getshdr(scn, &sh))
            return fail("%s: section %zu: bad section header: %s", obj->name, i, elf_errmsg(-1));
        s->obj = obj;
        s->index = i;
        s->type = sh.sh_type;
        s->flags = sh.sh_flags;
        s->size = sh.sh_size;
        s->align = sh.sh_addralign ? sh.sh_addralign : 1;
        s->name = strtab_name(&names, sh.sh_name);
        if (!s->name)
            return fail("%s: section %zu: bad name offset %u", obj->name, i, sh.sh_name);
        if (check_extent(obj, "section", s->name, s->size, s->align) < 0)
            return -1;
        /* every section with bytes, those read only later (later.c) or
         * never too: their sizes are trusted from here on */
        if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
            (sh.sh_offset > filesize || filesize - sh.sh_offset < sh.sh_size))
            return fail("%s: section '%s': data out of file bounds", obj->name, s->name);
        if (starts_with(s->name, ".gnu.lto_"))
            return fail("%s: LTO object (GIMPLE bytecode, no machine code); rebuild without -flto, or with -ffat-lto-objects", obj->name);
        if (sh.sh_type == SHT_REL)
            return fail("%s: section '%s': SHT_REL relocations are not used on x86-64", obj->name, s->name);
        s->read_later = later_deferred(s->name, s->flags, s->type, applied_flags(obj->elf, &sh));
        if (!needs_data(s))
            continue;
        if (s->read_later)
            continue; /* debug relocations: read when applied */
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d || (d->d_size && !d->d_buf) || d->d_size != s->size)
            return fail("%s: section '%s': data out of file bounds", obj->name, s->name);
        s->data = d->d_buf;
    }
    return 0;
}

static struct section *find_symtab(struct object *obj)
{
    struct section *found = NULL;
    for (size_t i = 1; i < obj->nsecs; i++)
        if (obj->secs[i].type == SHT_SYMTAB) {
            if (found)
                return fail("%s: more than one symbol table", obj->name), NULL;
            found = &obj->secs[i];
        }
    if (!found)
        fail("%s: no symbol table", obj->name);
    return found;
}

/* The extended section indexes of the symbol table, and how many there
 * are: as many as the section holds, which a crafted file may make fewer
 * than the symbols (libelf does not check it). */
static const Elf32_Word *find_shndx_table(struct object *obj, size_t symtab_index, size_t *n)
{
    for (size_t i = 1; i < obj->nsecs; i++) {
        Elf_Scn *scn = elf_getscn(obj->elf, i);
        GElf_Shdr sh;
        if (obj->secs[i].type == SHT_SYMTAB_SHNDX && gelf_getshdr(scn, &sh) && sh.sh_link == symtab_index) {
            *n = obj->secs[i].data ? obj->secs[i].size / sizeof(Elf32_Word) : 0;
            return (const Elf32_Word *)obj->secs[i].data;
        }
    }
    *n = 0;
    return NULL;
}

static int read_symbol(struct object *obj, const Elf64_Sym *es, size_t i,
                       const Elf32_Word *shndx, size_t nshndx, const struct strtab *names)
{
    struct symbol *s = xcalloc(1, sizeof *s);
    obj->syms[i] = s;
    s->name = strtab_name(names, es->st_name);
    if (!s->name)
        return fail("%s: symbol %zu: bad name offset %u", obj->name, i, es->st_name);
    s->bind = GELF_ST_BIND(es->st_info);
    s->type = GELF_ST_TYPE(es->st_info);
    s->value = es->st_value;
    s->size = es->st_size;
    s->got = s->tls_got = s->stub = -1;
    s->file = obj;
    s->hidden = GELF_ST_VISIBILITY(es->st_other) == STV_HIDDEN ||
                GELF_ST_VISIBILITY(es->st_other) == STV_INTERNAL;
    uint32_t idx = es->st_shndx;
    if (idx == SHN_XINDEX) {
        if (!shndx || i >= nshndx)
            return fail("%s: symbol '%s': extended section index missing", obj->name, s->name);
        idx = shndx[i];
    }
    if (!strcmp(s->name, "__gnu_lto_slim"))
        return fail("%s: LTO object (GIMPLE bytecode, no machine code); rebuild without -flto, or with -ffat-lto-objects", obj->name);
    if (idx == SHN_UNDEF) {
        s->kind = SYM_UNDEF;
    } else if (idx == SHN_COMMON || idx == SHN_X86_64_LCOMMON) {
        s->kind = SYM_COMMON;
        s->align = s->value ? s->value : 1;
        if (check_extent(obj, "common symbol", s->name, s->size, s->align) < 0)
            return -1;
    } else if (idx == SHN_ABS) {
        s->kind = SYM_DEFINED;
        s->addr = s->value;
    } else if (idx >= obj->nsecs || (idx >= SHN_LORESERVE && es->st_shndx != SHN_XINDEX)) {
        return fail("%s: symbol '%s': section index %u out of range", obj->name, s->name, idx);
    } else {
        s->kind = SYM_DEFINED;
        s->sec = &obj->secs[idx];
        if (s->type == STT_TLS && !(s->sec->flags & SHF_TLS))
            return fail("%s: symbol '%s': thread-local symbol in section '%s', which is not "
                        "thread-local", obj->name, s->name, s->sec->name);
    }
    return 0;
}

static int read_symbols(struct object *obj)
{
    struct section *symtab = find_symtab(obj);
    if (!symtab)
        return -1;
    GElf_Shdr sh;
    gelf_getshdr(elf_getscn(obj->elf, symtab->index), &sh);
    if (sh.sh_link == 0 || sh.sh_link >= obj->nsecs || obj->secs[sh.sh_link].type != SHT_STRTAB)
        return fail("%s: symbol table links to section %u, not a string table", obj->name, sh.sh_link);
    if (sh.sh_entsize != sizeof(Elf64_Sym))
        return fail("%s: symbol table entry size %lu, expected %zu", obj->name,
                    (unsigned long)sh.sh_entsize, sizeof(Elf64_Sym));
    struct strtab names;
    if (!strtab_of(obj->secs[sh.sh_link].data, obj->secs[sh.sh_link].size, &names))
        return fail("%s: symbol table's string table (section %u) is empty", obj->name, sh.sh_link);
    const Elf64_Sym *es = (const Elf64_Sym *)symtab->data;
    obj->nsyms = symtab->size / sizeof(Elf64_Sym);
    obj->syms = xcalloc(obj->nsyms, sizeof *obj->syms);
    size_t nshndx;
    const Elf32_Word *shndx = find_shndx_table(obj, symtab->index, &nshndx);
    for (size_t i = 0; i < obj->nsyms; i++)
        if (read_symbol(obj, &es[i], i, shndx, nshndx, &names) < 0)
            return -1;
    return 0;
}

/* Attach each SHT_RELA section to the section it patches. */
static int read_relocs(struct object *obj, size_t symtab_index)
{
    for (size_t i = 1; i < obj->nsecs; i++) {
        struct section *r = &obj->secs[i];
        if (r->type != SHT_RELA)
            continue;
        GElf_Shdr sh;
        gelf_getshdr(elf_getscn(obj->elf, i), &sh);
        if (sh.sh_info == 0 || sh.sh_info >= obj->nsecs)
            return fail("%s: relocation section '%s' applies to section %u, out of range",
                        obj->name, r->name, sh.sh_info);
        struct section *target = &obj->secs[sh.sh_info];
        if (!section_is_loadable(target))
            continue; /* debug info: applied by the debugger, not by us */
        if (sh.sh_link != symtab_index)
            return fail("%s: relocation section '%s' does not use the symbol table", obj->name, r->name);
        if (sh.sh_entsize != sizeof(Elf64_Rela) || r->size % sizeof(Elf64_Rela))
            return fail("%s: relocation section '%s' has bad entry size", obj->name, r->name);
        target->relas = (const Elf64_Rela *)r->data;
        target->nrelas = r->size / sizeof(Elf64_Rela);
    }
    return 0;
}

struct object *object_read(const char *name, Elf *elf)
{
    struct object *obj = xcalloc(1, sizeof *obj);
    obj->name = xstrdup(name);
    obj->elf = elf;
    size_t shstrndx;
    if (check_header(name, elf) < 0)
        goto bad;
    if (elf_getshdrnum(elf, &obj->nsecs) < 0 || elf_getshdrstrndx(elf, &shstrndx) < 0)
        goto bad_elf;
    if (shstrndx >= obj->nsecs)
        { fail("%s: section name table index %zu out of range", name, shstrndx); goto bad; }
    obj->secs = xcalloc(obj->nsecs, sizeof *obj->secs);
    if (read_sections(obj, shstrndx) < 0 || read_symbols(obj) < 0)
        goto bad;
    for (size_t i = 1; i < obj->nsecs; i++)
        if (obj->secs[i].type == SHT_SYMTAB && read_relocs(obj, i) < 0)
            goto bad;
    return obj;
bad_elf:
    fail("%s: bad ELF file: %s", name, elf_errmsg(-1));
bad:
    /* The partially read object is small; the link that failed owns it
     * no longer and the process reports the error and exits or, during a
     * reload, discards it. Free what we allocated. */
    for (size_t i = 0; i < obj->nsyms && obj->syms; i++)
        xfree(obj->syms[i]);
    xfree(obj->syms);
    xfree(obj->secs);
    xfree(obj->name);
    xfree(obj);
    return NULL;
}

/* Hashed when a reload first asks, not at load: most objects never are. */
uint64_t object_hash(struct object *obj)
{
    if (!obj->hashed) {
        object_read_later(obj);
        size_t size = obj->file.size;
        const char *bytes = obj->file.bytes ? obj->file.bytes : elf_rawfile(obj->elf, &size);
        obj->hash = hash_bytes(bytes, bytes ? size : 0);
        obj->hashed = true;
    }
    return obj->hash;
}

const char *object_bytes(const struct object *obj, size_t *size)
{
    *size = 0;
    return obj->elf && object_read_later(obj) ? elf_rawfile(obj->elf, size) : NULL;
}

/* Section i's bytes: read with the object, or, for its debug sections
 * (later.c), from libelf once they are there; NULL if there are none. */
const void *object_section_bytes(const struct object *obj, size_t i)
{
    const struct section *s = &obj->secs[i];
    if (s->data || !s->read_later || !object_read_later(obj))
        return s->data;
    Elf_Data *d = elf_getdata(elf_getscn(obj->elf, i), NULL);
    return d && d->d_buf && d->d_size == s->size ? d->d_buf : NULL;
}

static pthread_mutex_t uncompress_lock = PTHREAD_MUTEX_INITIALIZER;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_mutex(&uncompress_lock);
}

/* gcc -gz compresses each debug section, and its relocations apply to
 * the bytes uncompressed: a compressed one's are kept with the section's
 * record (dwarf/uncompress.c). */
const void *object_debug_bytes(struct object *obj, size_t i, uint64_t *size)
{
    struct section *s = &obj->secs[i];
    const uint8_t *raw = object_section_bytes(obj, i);
    *size = raw ? s->size : 0;
    if (!raw || !(s->flags & SHF_COMPRESSED))
        return raw;
    pthread_mutex_lock(&uncompress_lock);
    if (!s->uncompressed)
        s->uncompressed = section_uncompressed(raw, s->size, &s->uncompressed_size);
    pthread_mutex_unlock(&uncompress_lock);
    *size = s->uncompressed ? s->uncompressed_size : 0;
    return s->uncompressed;
}

/* The object's ELF symbol table as in the file (NULL once retired). */
const Elf64_Sym *object_raw_symbols(const struct object *obj, size_t *n)
{
    for (size_t i = 1; i < obj->nsecs; i++)
        if (obj->secs[i].type == SHT_SYMTAB && obj->secs[i].data) {
            *n = obj->secs[i].size / sizeof(Elf64_Sym);
            return (const Elf64_Sym *)obj->secs[i].data;
        }
    *n = 0;
    return NULL;
}

/* Relocation entries are checked once an object is known to be part of the
 * link, so that an unused archive member cannot fail it. */
int object_check_relocs(struct object *obj)
{
    for (size_t i = 1; i < obj->nsecs; i++) {
        struct section *s = &obj->secs[i];
        for (size_t j = 0; j < s->nrelas; j++) {
            const Elf64_Rela *r = &s->relas[j];
            uint32_t type = ELF64_R_TYPE(r->r_info);
            uint32_t sym = ELF64_R_SYM(r->r_info);
            int width = x86_reloc_width(type);
            if (width < 0)
                return fail("%s: section '%s' offset 0x%lx: unknown relocation type %u",
                            obj->name, s->name, (unsigned long)r->r_offset, type);
            if (x86_reloc_refused(type))
                return fail("%s: section '%s' offset 0x%lx: %s: %s", obj->name, s->name,
                            (unsigned long)r->r_offset, x86_reloc_name(type), x86_reloc_refused(type));
            if (sym >= obj->nsyms)
                return fail("%s: section '%s' offset 0x%lx: relocation symbol index %u out of range",
                            obj->name, s->name, (unsigned long)r->r_offset, sym);
            if (r->r_offset > s->size || s->size - r->r_offset < (uint64_t)width)
                return fail("%s: section '%s': relocation offset 0x%lx beyond the section (size 0x%lx)",
                            obj->name, s->name, (unsigned long)r->r_offset, (unsigned long)s->size);
            /* An absolute symbol's value is what it is; anything else a
             * 32-bit field holds (a library function: its stub) must be
             * in the low 2 GiB. */
            if (x86_reloc_is_abs32(type) && (obj->syms[sym]->sec || obj->syms[sym]->kind == SYM_UNDEF))
                obj->needs_low = true;
        }
    }
    tls_check_sequences(obj);
    return 0;
}
