/* dladdr, dladdr1, backtrace_symbols, backtrace_symbols_fd and
 * dl_iterate_phdr, exported by hotld (Makefile) so that the program's
 * calls, its libraries' and hotld's own come here first: an address the
 * registered finder knows (the program's image: reload/selfnames.c) is
 * answered by it, any other by libc (dlsym(RTLD_NEXT)); the modules
 * registered (the program's image files: gdb/imagefile.c) are listed
 * after ld.so's. backtrace_symbols and _fd format as glibc does. Defined
 * here, in the lowest layer, because every layer calls dladdr; the finder
 * and the modules come from above. */
#include <dlfcn.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "findself.h"

static findself_fn *finder;
static findself_modules_fn *more_modules;

void findself_register(findself_fn *fn)
{
    finder = fn;
}

void findself_register_modules(findself_modules_fn *fn)
{
    more_modules = fn;
}

static void *libc_function(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

int dladdr(const void *addr, Dl_info *info)
{
    if (finder && finder(addr, info))
        return 1;
    int (*real)(const void *, Dl_info *) = (int (*)(const void *, Dl_info *))libc_function("dladdr");
    return real ? real(addr, info) : 0;
}

/* RTLD_DL_SYMENT gives no symbol entry for the program's (it has none in
 * memory); RTLD_DL_LINKMAP gives none either: the program is not ld.so's. */
int dladdr1(const void *addr, Dl_info *info, void **extra, int flags)
{
    if (finder && finder(addr, info)) {
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

struct iteration {
    int (*callback)(struct dl_phdr_info *, size_t, void *);
    void *data;
    unsigned long long adds, subs;
};

/* A sanitizer's runtime calls dl_iterate_phdr as it starts, before
 * instrumented code can run: so these two are not instrumented. */
#define BEFORE_SANITIZERS __attribute__((no_sanitize("address", "undefined")))

BEFORE_SANITIZERS static int note_counts(struct dl_phdr_info *info, size_t size, void *data)
{
    struct iteration *it = data;
    it->adds = info->dlpi_adds;
    it->subs = info->dlpi_subs;
    return it->callback(info, size, it->data);
}

/* ld.so's modules, then the registered ones, with ld.so's counts of
 * loads and unloads (caches of modules are kept by them). */
BEFORE_SANITIZERS int dl_iterate_phdr(int (*callback)(struct dl_phdr_info *, size_t, void *), void *data)
{
    /* looked up once: unwinders call this for every frame outside the
     * registered tables, and every thread would look up the same value */
    typedef int iterate_fn(int (*)(struct dl_phdr_info *, size_t, void *), void *);
    static iterate_fn *_Atomic real;
    iterate_fn *fn = atomic_load_explicit(&real, memory_order_relaxed);
    if (!fn) {
        fn = (iterate_fn *)libc_function("dl_iterate_phdr");
        atomic_store_explicit(&real, fn, memory_order_relaxed);
    }
    struct iteration it = {callback, data, 0, 0};
    int rc = fn ? fn(note_counts, &it) : 0;
    return rc || !more_modules ? rc : more_modules(callback, data, it.adds, it.subs);
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
