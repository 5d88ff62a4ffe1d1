/* dl_iterate_phdr lists the program itself, as a linked executable is
 * listed: one module whose loaded segments hold main's code (executable)
 * and its variables (writable), with its unwind index (PT_GNU_EH_FRAME)
 * and its thread-local block (PT_TLS), which dlpi_tls_data places at
 * this thread's copy. Language runtimes find their program this way
 * (druntime registers those segments with its garbage collector), and so
 * do unwinders. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <link.h>
#include <stdint.h>
#include <stdio.h>

__thread int tls_var = 42;
__thread char tls_zero[64];
int data_var = 7;
static int bss_var;

struct found {
    int modules, code, data, bss, eh_frame_hdr, tls, tls_zero;
};

static int in_segment(const struct dl_phdr_info *info, const void *p, uint32_t flag)
{
    uintptr_t addr = (uintptr_t)p;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && (ph->p_flags & flag) && addr >= start && addr < start + ph->p_memsz)
            return 1;
    }
    return 0;
}

static int in_tls_block(const struct dl_phdr_info *info, const void *p)
{
    const char *block = info->dlpi_tls_data, *at = p;
    for (int i = 0; block && i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_TLS)
            return at >= block && at < block + info->dlpi_phdr[i].p_memsz;
    return 0;
}

int main(void);

static int visit(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct found *f = arg;
    (void)size;
    if (!in_segment(info, (const void *)(uintptr_t)&main, PF_X))
        return 0;
    f->modules++;
    f->code = 1;
    f->data = in_segment(info, &data_var, PF_W);
    f->bss = in_segment(info, &bss_var, PF_W);
    for (int i = 0; i < info->dlpi_phnum; i++)
        f->eh_frame_hdr |= info->dlpi_phdr[i].p_type == PT_GNU_EH_FRAME;
    f->tls = in_tls_block(info, &tls_var) && info->dlpi_tls_modid > 0;
    f->tls_zero = in_tls_block(info, &tls_zero[63]);
    return 0;
}

int main(void)
{
    struct found f = {0};
    dl_iterate_phdr(visit, &f);
    printf("modules with main: %d\ncode %d, data %d, bss %d, unwind index %d\n", f.modules, f.code, f.data, f.bss,
           f.eh_frame_hdr);
    printf("thread-local block %d (%d), zeroed part %d\n", f.tls, tls_var, f.tls_zero);
    return 0;
}
