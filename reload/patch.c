#include "patch.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

int patch_open(struct patch_window *w, uintptr_t addr, size_t len, int prot_after)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    w->start = addr & ~(page - 1);
    w->end = ALIGN_UP(addr + len, page);
    w->prot_after = prot_after;
    if (mprotect((void *)w->start, w->end - w->start, PROT_READ | PROT_WRITE) < 0)
        return fail("cannot make the program's pages 0x%lx-0x%lx writable to patch them: %s",
                    (unsigned long)w->start, (unsigned long)w->end, strerror(errno));
    return 0;
}

int patch_close(const struct patch_window *w)
{
    if (mprotect((void *)w->start, w->end - w->start, w->prot_after) < 0)
        return fail("cannot protect the program's pages 0x%lx-0x%lx again after patching them: %s",
                    (unsigned long)w->start, (unsigned long)w->end, strerror(errno));
    return 0;
}

int patch_write(uintptr_t addr, const void *src, size_t len, int prot_after)
{
    struct patch_window w;
    if (patch_open(&w, addr, len, prot_after) < 0)
        return -1;
    memcpy((void *)addr, src, len);
    return patch_close(&w);
}
