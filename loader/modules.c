/* Each committed image as dl_iterate_phdr lists a loaded object: its
 * base, its segments (the headers' page, code, constants, relocated
 * data, data and bss), its unwind index (PT_GNU_EH_FRAME) and its
 * thread-local block (PT_TLS, with the block's module id). Language
 * runtimes find their program that way: druntime registers the
 * writable segments and the TLS block of the object holding its module
 * table with the garbage collector, and unwinders and symbolizers look
 * pcs up there. ld.so's objects come first (base/findself.c).
 *
 * The list is read without a lock (an unwinder may ask from any thread at
 * any time): a module is complete before it is published at its head,
 * and a failed reload's is marked gone rather than taken out. */
#include <link.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "findself.h"
#include "linker.h"
#include "util.h"

/* the headers' page, four segments, the unwind index, the TLS block */
#define MAX_PHDRS (NSEGMENTS + 3)

struct module {
    struct module *next;
    uintptr_t base;
    const char *_Atomic path;   /* "" until the image has a file */
    Elf64_Phdr ph[MAX_PHDRS];
    uint16_t nph;
    size_t tls_modid;
    int64_t tls_tpoff;
    atomic_bool gone;
};
static struct module *_Atomic modules;

static int each_module(int (*callback)(struct dl_phdr_info *, size_t, void *), void *data,
                       unsigned long long adds, unsigned long long subs)
{
    for (struct module *m = atomic_load_explicit(&modules, memory_order_acquire); m; m = m->next) {
        if (atomic_load_explicit(&m->gone, memory_order_relaxed))
            continue;
        struct dl_phdr_info info = {.dlpi_addr = m->base, .dlpi_name = atomic_load(&m->path), .dlpi_phdr = m->ph,
                                    .dlpi_phnum = m->nph, .dlpi_adds = adds, .dlpi_subs = subs,
                                    .dlpi_tls_modid = m->tls_modid,
                                    .dlpi_tls_data = m->tls_modid ? (void *)(thread_pointer() + m->tls_tpoff) : NULL};
        int rc = callback(&info, sizeof info, data);
        if (rc)
            return rc;
    }
    return 0;
}

static Elf64_Phdr segment(uint32_t type, uint32_t flags, uint64_t at, uint64_t size, uint64_t align)
{
    return (Elf64_Phdr){.p_type = type, .p_flags = flags, .p_offset = at, .p_vaddr = at, .p_paddr = at,
                        .p_filesz = size, .p_memsz = size, .p_align = align};
}

/* The program headers a linked file of the image would have, at
 * addresses relative to its base. */
static void describe(struct module *m, const struct link *ld)
{
    static const uint32_t flags[NSEGMENTS] = {
        [SEG_TEXT] = PF_R | PF_X, [SEG_RODATA] = PF_R, [SEG_RELRO] = PF_R | PF_W, [SEG_DATA] = PF_R | PF_W,
    };
    const struct image *im = ld->image;
    size_t page = sysconf(_SC_PAGESIZE);
    m->ph[m->nph++] = segment(PT_LOAD, PF_R, 0, page, page);
    for (int seg = 0; seg < NSEGMENTS; seg++)
        if (im->seg_end[seg] > im->seg_start[seg])
            m->ph[m->nph++] = segment(PT_LOAD, flags[seg], im->seg_start[seg] - im->base,
                                      im->seg_end[seg] - im->seg_start[seg], page);
    if (im->eh_frame_hdr_size)
        m->ph[m->nph++] = segment(PT_GNU_EH_FRAME, PF_R, im->eh_frame_hdr - im->base, im->eh_frame_hdr_size, 4);
    struct tls_place block;
    uint64_t size, align;
    uintptr_t init = tls_own_segment(ld, &block, &size, &align);
    if (init) {
        m->ph[m->nph++] = segment(PT_TLS, PF_R, init - im->base, size, align);
        m->tls_modid = block.modid;
        m->tls_tpoff = block.tpoff;
    }
}

void modules_publish(const struct link *ld)
{
    struct module *m = xcalloc(1, sizeof *m);
    m->base = ld->image->base;
    m->path = "";
    describe(m, ld);
    m->next = atomic_load_explicit(&modules, memory_order_relaxed);
    if (!m->next)
        findself_register_modules(each_module);
    atomic_store_explicit(&modules, m, memory_order_release);
}

static struct module *module_of(const struct link *ld)
{
    for (struct module *m = atomic_load_explicit(&modules, memory_order_acquire); m; m = m->next)
        if (m->base == ld->image->base && !atomic_load_explicit(&m->gone, memory_order_relaxed))
            return m;
    return NULL;
}

void modules_name(const struct link *ld, const char *path)
{
    struct module *m = module_of(ld);
    if (m)
        atomic_store(&m->path, xstrdup(path));
}

const char *modules_path(const struct link *ld)
{
    struct module *m = module_of(ld);
    const char *path = m ? atomic_load(&m->path) : "";
    return *path ? path : NULL;
}

void modules_forget(const struct link *ld)
{
    struct module *m = module_of(ld);
    if (m)
        atomic_store(&m->gone, true);
}
