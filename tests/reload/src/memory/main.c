/* A program that lists the segments of the image its code.o was last
 * loaded into, as dl_iterate_phdr reports them: "q" answers with what
 * where() says, the newest image's loaded segments (R, RX, RW), how
 * many pages they span, a page two share counted once, and whether the
 * mapping that holds where()'s text is advised for huge pages (its
 * VmFlags in /proc/self/smaps). */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rt.h"

const char *where(void);

struct found {
    uintptr_t addr;
    char segs[64];
    long pages;
};

/* Pages [start, end) of a segment, less the one the segment before ended
 * on (*last), which it may share. */
static long new_pages(uintptr_t start, uintptr_t end, uintptr_t *last)
{
    uintptr_t page = 4096, first = start / page, past = (end + page - 1) / page;
    long n = (long)(past - first) - (first + 1 == *last);
    *last = past;
    return n;
}

/* The module whose loaded segments hold f->addr: its segments' flags and
 * the pages they span. */
static int find_module(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    struct found *f = data;
    int holds = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t at = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && f->addr >= at && f->addr < at + ph->p_memsz)
            holds = 1;
    }
    if (!holds)
        return 0;
    uintptr_t last = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t at = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type != PT_LOAD || !ph->p_memsz)
            continue;
        f->pages += new_pages(at, at + ph->p_memsz, &last);
        snprintf(f->segs + strlen(f->segs), sizeof f->segs - strlen(f->segs), "%sR%s%s",
                 *f->segs ? "," : "", ph->p_flags & PF_W ? "W" : "", ph->p_flags & PF_X ? "X" : "");
    }
    return 1;
}

/* "yes" if the mapping that holds addr has the flag "hg" (madvise
 * MADV_HUGEPAGE), "no" if not. */
static const char *huge_advised(uintptr_t addr)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    const char *answer = "unknown";
    int holds = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
            holds = addr >= lo && addr < hi;
        else if (holds && !strncmp(line, "VmFlags:", 8))
            answer = strstr(line, " hg") ? "yes" : "no";
    }
    if (f)
        fclose(f);
    return answer;
}

static void answer(const char *tag)
{
    const char *said = where();
    struct found f = {.addr = (uintptr_t)said};
    if (!dl_iterate_phdr(find_module, &f))
        strcpy(f.segs, "none");
    printf("%s where %s\n", tag, said);
    printf("%s segments %s\n", tag, f.segs);
    printf("%s pages %ld\n", tag, f.pages);
    printf("%s huge %s\n", tag, huge_advised((uintptr_t)said));
}

int main(void)
{
    return serve_queries(answer, NULL);
}
