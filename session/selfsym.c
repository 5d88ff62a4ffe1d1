/* The program finds itself: dladdr, dladdr1, backtrace_symbols and
 * backtrace_symbols_fd answer for the program's code and data as they do
 * in the linked executable: the file is the program (its argv[0]), its
 * base the first image's, and a symbol is named only if the program
 * exports it (-rdynamic, --dynamic-list), since ld.so reads only the
 * dynamic symbol table. Everything else is libc's answer. hotld exports
 * these functions (Makefile), so the program's calls, its libraries' and
 * hotld's own come here first.
 *
 * A function's code may be its first version's (where its address
 * stays) or its newest body; both are looked at. During a reload's
 * commit the records change, and the answer is libc's (no name). */
#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"

static void *libc_function(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

static bool in_image(const struct image *im, uintptr_t addr)
{
    return im->base && addr >= im->base && addr - im->base < im->size;
}

static bool in_program(const struct program *pg, uintptr_t addr)
{
    for (size_t g = 0; g < pg->ngens; g++)
        if (in_image(pg->gens[g]->image, addr))
            return true;
    return false;
}

static bool holds(uintptr_t start, uint64_t size, uintptr_t addr)
{
    return start && addr >= start && (addr - start < size || (size == 0 && addr == start));
}

/* The exported symbol of the program that holds addr, nearest below. */
static const struct symbol *exported_at(const struct program *pg, uintptr_t addr, uintptr_t *start)
{
    const struct symbol *best = NULL;
    const struct strmap *t = &pg->live->symtab;
    for (size_t i = 0; exports_count() && i < t->cap; i++) {
        const struct symbol *s = t->slots[i].value;
        if (!s || (s->kind != SYM_DEFINED && s->kind != SYM_COMMON))
            continue;
        uintptr_t at = holds(s->call_addr, s->size, addr) ? s->call_addr : holds(s->addr, s->size, addr) ? s->addr : 0;
        if (at && (!best || at > *start) && exports_has(s->name))
            best = s, *start = at;
    }
    return best;
}

/* Fill info for an address of the program; false if it is not one. */
static bool own_place(const void *addr, Dl_info *info, const struct symbol **sym)
{
    struct program *pg = &the_session.program;
    *sym = NULL;
    if (!pg->live || pthread_mutex_trylock(&pg->lock) != 0)
        return false;
    bool ours = in_program(pg, (uintptr_t)addr);
    if (ours) {
        uintptr_t start = 0;
        *sym = exported_at(pg, (uintptr_t)addr, &start);
        *info = (Dl_info){pg->argv ? pg->argv[0] : "", (void *)pg->gens[0]->image->base,
                          *sym ? (*sym)->name : NULL, *sym ? (void *)start : NULL};
    }
    pthread_mutex_unlock(&pg->lock);
    return ours;
}

int dladdr(const void *addr, Dl_info *info)
{
    const struct symbol *s;
    if (own_place(addr, info, &s))
        return 1;
    int (*real)(const void *, Dl_info *) = (int (*)(const void *, Dl_info *))libc_function("dladdr");
    return real ? real(addr, info) : 0;
}

/* RTLD_DL_SYMENT gives no symbol entry for the program's (it has none in
 * memory); RTLD_DL_LINKMAP gives none either: the program is not ld.so's. */
int dladdr1(const void *addr, Dl_info *info, void **extra, int flags)
{
    const struct symbol *s;
    if (own_place(addr, info, &s)) {
        *extra = NULL;
        return 1;
    }
    int (*real)(const void *, Dl_info *, void **, int) =
        (int (*)(const void *, Dl_info *, void **, int))libc_function("dladdr1");
    return real ? real(addr, info, extra, flags) : 0;
}

/* One frame as glibc's backtrace_symbols writes it: "file(sym+0x1c) [pc]",
 * "file(+0x1234) [pc]" without a symbol, "[pc]" without a file;
 * backtrace_symbols_fd writes no space before the '['. */
static int frame_text(void *pc, char *buf, size_t size, const char *space)
{
    Dl_info info;
    if (!dladdr(pc, &info) || !info.dli_fname || !info.dli_fname[0])
        return snprintf(buf, size, "[%p]", pc);
    const void *from = info.dli_sname ? info.dli_saddr : info.dli_fbase;
    if (!info.dli_sname && !from)
        return snprintf(buf, size, "%s()%s[%p]", info.dli_fname, space, pc);
    bool after = (uintptr_t)pc >= (uintptr_t)from;
    uintptr_t off = after ? (uintptr_t)pc - (uintptr_t)from : (uintptr_t)from - (uintptr_t)pc;
    return snprintf(buf, size, "%s(%s%c%#lx)%s[%p]", info.dli_fname, info.dli_sname ? info.dli_sname : "",
                    after ? '+' : '-', (unsigned long)off, space, pc);
}

/* One block, as glibc's: the pointers, then the strings; free() frees it. */
char **backtrace_symbols(void *const *array, int size)
{
    if (size <= 0)
        return NULL;
    size_t total = (size_t)size * sizeof(char *);
    char line[512];
    for (int i = 0; i < size; i++)
        total += (size_t)frame_text(array[i], line, sizeof line, " ") + 1;
    char **out = malloc(total);
    if (!out)
        return NULL;
    char *text = (char *)(out + size), *end = (char *)out + total;
    for (int i = 0; i < size; i++) {
        out[i] = text;
        text += frame_text(array[i], text, (size_t)(end - text), " ") + 1;
    }
    return out;
}

void backtrace_symbols_fd(void *const *array, int size, int fd)
{
    char line[512];
    for (int i = 0; i < size; i++) {
        int n = frame_text(array[i], line, sizeof line - 1, "");
        if (n < 0)
            continue;
        if ((size_t)n > sizeof line - 2)
            n = (int)sizeof line - 2;
        line[n] = '\n';
        if (write(fd, line, (size_t)n + 1) < 0)
            return;
    }
}
