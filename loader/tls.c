/* Thread-local storage: every link whose objects define .tdata/.tbss gets
 * a TLS block that each thread of the process has its own copy of, at the
 * same offset from its thread pointer. That is glibc's static TLS, which
 * only ld.so can hand out, so the block is given to ld.so as a module: a
 * minimal ELF shared object made in memory (memfd) and dlopened, whose
 * PT_TLS segment is the link's block. glibc then allocates the block in
 * every thread's static TLS area, copies the initialization image into
 * the threads that exist and into each thread created later, and reports
 * the block's offset from the thread pointer by applying the module's one
 * R_X86_64_TPOFF64 relocation. The offset is fixed in every thread, so the
 * local-exec and initial-exec models work, and the module's id serves the
 * dynamic models (__tls_get_addr).
 *
 * A TLS variable's address, for the rest of the linker, is its place in
 * the module's mapped initialization image: unique in the process, and
 * what the registry below turns back into a module and offsets. Modules
 * are never unloaded once a link is committed, since no thread may be
 * using a block when it goes (and glibc cannot reuse static TLS anyway).
 *
 * Static TLS is small: glibc keeps a surplus of about 1.5 KiB for modules
 * loaded at run time, and GLIBC_TUNABLES=glibc.rtld.optional_static_tls
 * raises it. When a program's block does not fit, hotld restarts itself
 * once with that tunable set (main.c); a reload that adds more thread-local
 * variables than the remaining room fails with the tunable to use. */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linker.h"
#include "util.h"

struct tls_module {
    uintptr_t image;            /* the mapped initialization image */
    uint64_t size, align;       /* of the block */
    int64_t tpoff;              /* the block's offset from the thread pointer */
    size_t modid;
    void *handle;
    int fd;                     /* the memfd, open for debuggers (the path) */
};

static struct tls_module **modules;
static size_t nmodules, capmodules;
static size_t room_wanted;      /* the last block that did not fit */

/* The module's file: headers, its dynamic section, a one-entry
 * relocation table and symbol table, the slot the relocation fills, then
 * the initialization image at an offset aligned for the block. */
struct module_file {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[4];
    Elf64_Dyn dyn[9];
    Elf64_Rela rela;
    Elf64_Sym sym;
    int64_t tpoff_slot;
    char strtab[8];
};

static bool is_tls_storage(const struct section *s)
{
    return (s->flags & SHF_TLS) && s->out && !s->discarded && !s->storage_unused;
}

/* Offsets in the block: initialized data first, then zeroed, as PT_TLS
 * wants them. Returns the size of the initialized part. */
static uint64_t lay_out_block(struct link *ld, uint64_t *size, uint64_t *align)
{
    uint64_t off = 0, filesz = 0;
    *align = 1;
    for (int nobits = 0; nobits <= 1; nobits++) {
        for (size_t i = 0; i < ld->nobjs; i++) {
            struct object *obj = ld->objs[i];
            for (size_t j = 1; j < obj->nsecs; j++) {
                struct section *s = &obj->secs[j];
                if (!is_tls_storage(s) || (s->type == SHT_NOBITS) != nobits)
                    continue;
                off = ALIGN_UP(off, s->align);
                s->tls_offset = off;
                off += s->size;
                if (s->align > *align)
                    *align = s->align;
            }
        }
        if (!nobits)
            filesz = off;
    }
    *size = off;
    return filesz;
}

static void fill_headers(struct module_file *f, uint64_t image_off, uint64_t filesz,
                         uint64_t memsz, uint64_t align)
{
    size_t page = sysconf(_SC_PAGESIZE);
    memcpy(f->eh.e_ident, ELFMAG, SELFMAG);
    f->eh.e_ident[EI_CLASS] = ELFCLASS64;
    f->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    f->eh.e_ident[EI_VERSION] = EV_CURRENT;
    f->eh.e_type = ET_DYN;
    f->eh.e_machine = EM_X86_64;
    f->eh.e_version = EV_CURRENT;
    f->eh.e_phoff = offsetof(struct module_file, ph);
    f->eh.e_ehsize = sizeof f->eh;
    f->eh.e_phentsize = sizeof f->ph[0];
    f->eh.e_phnum = 4;
    uint64_t end = image_off + memsz;
    f->ph[0] = (Elf64_Phdr){PT_LOAD, PF_R | PF_W, 0, 0, 0, image_off + filesz, end, page};
    f->ph[1] = (Elf64_Phdr){PT_DYNAMIC, PF_R | PF_W, offsetof(struct module_file, dyn),
                            offsetof(struct module_file, dyn), offsetof(struct module_file, dyn),
                            sizeof f->dyn, sizeof f->dyn, 8};
    f->ph[2] = (Elf64_Phdr){PT_TLS, PF_R, image_off, image_off, image_off, filesz, memsz, align};
    /* Without it, ld.so takes the module to need an executable stack, and
     * makes every thread's stack executable. */
    f->ph[3] = (Elf64_Phdr){PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16};
    uint64_t at_rela = offsetof(struct module_file, rela), at_sym = offsetof(struct module_file, sym);
    uint64_t at_str = offsetof(struct module_file, strtab);
    Elf64_Dyn dyn[] = {
        {DT_FLAGS, {DF_STATIC_TLS | DF_BIND_NOW}}, {DT_RELA, {at_rela}},
        {DT_RELASZ, {sizeof f->rela}},              {DT_RELAENT, {sizeof f->rela}},
        {DT_SYMTAB, {at_sym}},                      {DT_SYMENT, {sizeof f->sym}},
        {DT_STRTAB, {at_str}},                      {DT_STRSZ, {sizeof f->strtab}},
        {DT_NULL, {0}},
    };
    memcpy(f->dyn, dyn, sizeof dyn);
    /* TPOFF64 against symbol 0: the block's own offset from the thread
     * pointer, which also makes ld.so put the block in static TLS. */
    f->rela = (Elf64_Rela){offsetof(struct module_file, tpoff_slot), ELF64_R_INFO(0, R_X86_64_TPOFF64), 0};
}

/* Write the module into a memfd: headers, then the initialization image
 * copied from the relocated .tdata sections in the link's image. */
static int write_module(struct link *ld, uint64_t filesz, uint64_t memsz, uint64_t align,
                        uint64_t *image_off)
{
    *image_off = ALIGN_UP(sizeof(struct module_file), align);
    size_t total = *image_off + filesz;
    char *buf = xcalloc(1, total);
    fill_headers((struct module_file *)buf, *image_off, filesz, memsz, align);
    for (size_t i = 0; i < ld->nobjs; i++)
        for (size_t j = 1; j < ld->objs[i]->nsecs; j++) {
            const struct section *s = &ld->objs[i]->secs[j];
            if (is_tls_storage(s) && s->type != SHT_NOBITS)
                memcpy(buf + *image_off + s->tls_offset, (void *)s->addr, s->size);
        }
    int fd = memfd_create("hotld-tls", MFD_CLOEXEC);
    bool ok = fd >= 0 && write(fd, buf, total) == (ssize_t)total;
    xfree(buf);
    if (!ok) {
        if (fd >= 0)
            close(fd);
        return fail("cannot create the thread-local storage module: %m");
    }
    return fd;
}

/* Room for a block of size bytes and for reloads that add as much again,
 * plus 64 KiB. */
static size_t tls_room_for(size_t size)
{
    return size * 2 + 65536;
}

size_t tls_room_wanted(void)
{
    return room_wanted;
}

static int load_module(struct tls_module *m, int fd, uint64_t image_off)
{
    /* /proc/PID, not /proc/self: a debugger opens the path too. */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)getpid(), fd);
    m->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!m->handle) {
        const char *why = dlerror();
        if (why && strstr(why, "static TLS")) {
            room_wanted = tls_room_for(m->size);
            return fail("%lu bytes of thread-local variables do not fit in glibc's static TLS; "
                        "restart with GLIBC_TUNABLES=glibc.rtld.optional_static_tls=%zu",
                        (unsigned long)m->size, room_wanted);
        }
        return fail("cannot load the thread-local storage module: %s", why ? why : "?");
    }
    struct link_map *lm = NULL;
    dlinfo(m->handle, RTLD_DI_LINKMAP, &lm);
    dlinfo(m->handle, RTLD_DI_TLS_MODID, &m->modid);
    const struct module_file *f = (const struct module_file *)lm->l_addr;
    m->tpoff = f->tpoff_slot;
    m->image = lm->l_addr + image_off;
    m->fd = fd;
    return 0;
}

/* Symbols still at their place in the link's image (not bound to a kept
 * variable of an earlier version) move to their place in the module. */
static void bind_symbols(struct link *ld, const struct tls_module *m)
{
    for (size_t i = 0; i < ld->nobjs; i++) {
        struct object *obj = ld->objs[i];
        for (size_t j = 1; j < obj->nsyms; j++) {
            struct symbol *s = obj->syms[j];
            if (s->kind == SYM_DEFINED && s->sec && s->sec->obj == obj && is_tls_storage(s->sec) &&
                s->addr == s->sec->addr + s->value)
                s->addr = m->image + s->sec->tls_offset + s->value;
        }
    }
}

/* A scratch link's block goes to no ld.so: the image's own .tdata stands
 * for the mapped initialization image, below the thread pointer as
 * static TLS is. It is listed like any, so that the link's thread-local
 * references find it (tls_unpublish takes it out). */
static int scratch_module(struct link *ld, uint64_t size, uint64_t align)
{
    struct tls_module *m = xcalloc(1, sizeof *m);
    m->size = size;
    m->align = align;
    m->tpoff = -(int64_t)ALIGN_UP(size, align);
    m->image = ld->image->seg_start[SEG_DATA];
    m->fd = -1;
    ld->image->tls = m;
    ARRAY_PUSH(modules, nmodules, capmodules, m);
    bind_symbols(ld, m);
    return 0;
}

int tls_publish(struct link *ld)
{
    uint64_t size, align, image_off;
    uint64_t filesz = lay_out_block(ld, &size, &align);
    if (!size)
        return 0;
    if (ld->opts->scratch)
        return scratch_module(ld, size, align);
    int fd = write_module(ld, filesz, size, align, &image_off);
    if (fd < 0)
        return -1;
    struct tls_module *m = xcalloc(1, sizeof *m);
    m->size = size;
    m->align = align;
    if (load_module(m, fd, image_off) < 0) {
        close(fd);
        xfree(m);
        return -1;
    }
    ld->image->tls = m;
    ARRAY_PUSH(modules, nmodules, capmodules, m);
    bind_symbols(ld, m);
    return 0;
}

/* A reload that failed, or a scratch link: its module goes (no code ever
 * used it). */
void tls_unpublish(struct link *ld)
{
    struct tls_module *m = ld->image->tls;
    if (!m)
        return;
    for (size_t i = 0; i < nmodules; i++)
        if (modules[i] == m)
            modules[i] = modules[--nmodules];
    if (m->handle) {
        dlclose(m->handle);
        close(m->fd);
    }
    xfree(m);
    ld->image->tls = NULL;
}

/* Where section s's variables start, for a debugger; 0 if they are not
 * in a module (all kept from an earlier version, or no TLS at all). */
uintptr_t tls_section_address(const struct section *s)
{
    const struct tls_module *m = s->obj->link ? s->obj->link->image->tls : NULL;
    return m && is_tls_storage(s) ? m->image + s->tls_offset : 0;
}

/* Where the link's own block starts (all zero if it has none). */
void tls_own_block(const struct link *ld, struct tls_place *out)
{
    const struct tls_module *m = ld->image->tls;
    *out = m ? (struct tls_place){m->modid, 0, m->tpoff, true} : (struct tls_place){0};
}

uintptr_t tls_own_segment(const struct link *ld, struct tls_place *place, uint64_t *size, uint64_t *align)
{
    const struct tls_module *m = ld->image->tls;
    if (!m || !m->modid)
        return 0;
    tls_own_block(ld, place);
    *size = m->size;
    *align = m->align;
    return m->image;
}

/* Shared libraries' TLS: dlsym gave the calling thread's address of the
 * variable; dl_iterate_phdr says which module's block holds it. Modules
 * loaded with hotld itself are in static TLS; those dlopened later
 * (libraries named on the command line) need not be. */
static size_t startup_max_modid;

static int note_modid(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size, (void)data;
    if (info->dlpi_tls_modid > startup_max_modid)
        startup_max_modid = info->dlpi_tls_modid;
    return 0;
}

/* Before main, so before any library is dlopened. */
__attribute__((constructor)) static void note_startup_modules(void)
{
    dl_iterate_phdr(note_modid, NULL);
}

struct dso_search {
    uintptr_t addr;
    struct tls_place *out;
};

static int find_block(struct dl_phdr_info *info, size_t size, void *data)
{
    struct dso_search *q = data;
    (void)size;
    uintptr_t block = (uintptr_t)info->dlpi_tls_data;
    if (!info->dlpi_tls_modid || !block || q->addr < block)
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_TLS && q->addr < block + info->dlpi_phdr[i].p_memsz) {
            q->out->modid = info->dlpi_tls_modid;
            q->out->dtpoff = q->addr - block;
            q->out->tpoff = (int64_t)(q->addr - thread_pointer());
            q->out->is_static = info->dlpi_tls_modid <= startup_max_modid;
            return 1;
        }
    return 0;
}

static int find_module_1(struct dl_phdr_info *info, size_t size, void *data)
{
    struct tls_place *out = data;
    (void)size;
    if (info->dlpi_tls_modid != 1 || !info->dlpi_tls_data)
        return 0;
    uintptr_t block = (uintptr_t)info->dlpi_tls_data;
    *out = (struct tls_place){1, 0, (int64_t)(block - thread_pointer()), true};
    return 1;
}

/* Where TLS module 1 (the first loaded with thread-local data) is. */
int tls_first_module(struct tls_place *out)
{
    return dl_iterate_phdr(find_module_1, out) ? 0 : -1;
}

int tls_locate(uintptr_t addr, struct tls_place *out)
{
    for (size_t i = 0; i < nmodules; i++) {
        const struct tls_module *m = modules[i];
        if (addr >= m->image && addr - m->image <= m->size) {
            *out = (struct tls_place){m->modid, addr - m->image,
                                      m->tpoff + (int64_t)(addr - m->image), true};
            return 0;
        }
    }
    struct dso_search q = {addr, out};
    return dl_iterate_phdr(find_block, &q) ? 0 : -1;
}
