/* A loaded shared library's dynamic symbols and relocations, read from
 * its dynamic section in memory (ld.so's tables, mapped): which names it
 * refers to and where it holds their addresses (exports.c, interpose.c,
 * reload/pluginrefs.c), which it defines, and how one of those words is
 * rewritten. */
#include <errno.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linker.h"
#include "util.h"

/* A d_ptr of a library's dynamic section: ld.so relocates most in place,
 * not all (an offset is below the library's base). */
static uintptr_t dyn_address(uintptr_t base, uint64_t v)
{
    return v < base ? base + v : v;
}

struct library_tables library_tables(const Elf64_Dyn *dynamic, uintptr_t base)
{
    struct library_tables t = {0};
    for (const Elf64_Dyn *d = dynamic; d && d->d_tag != DT_NULL; d++) {
        uintptr_t p = dyn_address(base, d->d_un.d_ptr);
        switch (d->d_tag) {
        case DT_SYMTAB: t.syms = (Elf64_Sym *)p; break;
        case DT_STRTAB: t.strs = (const char *)p; break;
        case DT_RELA: t.rela[0] = (const Elf64_Rela *)p; break;
        case DT_RELASZ: t.nrela[0] = d->d_un.d_val / sizeof(Elf64_Rela); break;
        case DT_JMPREL: t.rela[1] = (const Elf64_Rela *)p; break;
        case DT_PLTRELSZ: t.nrela[1] = d->d_un.d_val / sizeof(Elf64_Rela); break;
        case DT_HASH: t.sysv_hash = (const uint32_t *)p; break;
        case DT_GNU_HASH: t.gnu_hash = (const uint32_t *)p; break;
        case DT_VERSYM: t.versym = (const uint16_t *)p; break;
        }
    }
    return t;
}

static uint32_t gnu_hash(const char *name)
{
    uint32_t h = 5381;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = h * 33 + *c;
    return h;
}

static uint32_t sysv_hash(const char *name)
{
    uint32_t h = 0;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        h = (h << 4) + *c;
        uint32_t g = h & 0xf0000000;
        h ^= g >> 24;
        h &= ~g;
    }
    return h;
}

/* The GNU table: a Bloom filter of 64-bit words, buckets, and chains of
 * hashes (the last of a chain with its low bit set) that run parallel
 * to .dynsym from symoffset on; undefined entries come before that. */
static void each_gnu_named(const struct library_tables *t, const struct library_key *key, library_def_fn *fn,
                           void *ctx)
{
    const uint32_t *g = t->gnu_hash;
    uint32_t nbuckets = g[0], symoffset = g[1], bloom_words = g[2], shift = g[3];
    const uint64_t *bloom = (const uint64_t *)(g + 4);
    const uint32_t *buckets = g + 4 + 2 * bloom_words, *chains = buckets + nbuckets;
    if (!nbuckets || !bloom_words)
        return;
    uint32_t h = key->gnu;
    uint64_t word = bloom[(h / 64) % bloom_words];
    uint64_t mask = 1ull << (h % 64) | 1ull << ((h >> shift) % 64);
    if ((word & mask) != mask)
        return;
    for (uint32_t i = buckets[h % nbuckets]; i >= symoffset && i; i++) {
        uint32_t chained = chains[i - symoffset];
        if ((chained | 1) == (h | 1) && !strcmp(t->strs + t->syms[i].st_name, key->name))
            fn(key->name, &t->syms[i], ctx);
        if (chained & 1)
            break;
    }
}

static void each_sysv_named(const struct library_tables *t, struct library_key *key, library_def_fn *fn,
                            void *ctx)
{
    uint32_t nbuckets = t->sysv_hash[0], nchains = t->sysv_hash[1];
    const uint32_t *buckets = t->sysv_hash + 2, *chains = buckets + nbuckets;
    if (!nbuckets)
        return;
    if (!key->sysv_known)
        key->sysv = sysv_hash(key->name), key->sysv_known = true;
    for (uint32_t i = buckets[key->sysv % nbuckets], steps = 0; i && i < nchains && steps < nchains;
         i = chains[i], steps++)
        if (!strcmp(t->strs + t->syms[i].st_name, key->name))
            fn(key->name, &t->syms[i], ctx);
}

struct library_key library_key(const char *name)
{
    return (struct library_key){name, gnu_hash(name), 0, false};
}

void library_each_named(const struct library_tables *t, struct library_key *key, library_def_fn *fn, void *ctx)
{
    if (!t->syms || !t->strs)
        return;
    if (t->gnu_hash)
        each_gnu_named(t, key, fn, ctx);
    else if (t->sysv_hash)
        each_sysv_named(t, key, fn, ctx);
}

bool library_is_default_version(const struct library_tables *t, const Elf64_Sym *s)
{
    return !t->versym || !(t->versym[s - t->syms] & 0x8000);
}

bool library_is_visible_definition(const Elf64_Sym *s)
{
    int bind = ELF64_ST_BIND(s->st_info);
    return s->st_shndx != SHN_UNDEF && (bind == STB_GLOBAL || bind == STB_WEAK) &&
           ELF64_ST_VISIBILITY(s->st_other) == STV_DEFAULT;
}

void library_each_reference(const Elf64_Dyn *dynamic, uintptr_t base, library_ref_fn *fn, void *ctx)
{
    struct library_tables t = library_tables(dynamic, base);
    if (!t.syms || !t.strs)
        return;
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; t.rela[k] && i < t.nrela[k]; i++) {
            uint32_t sym = ELF64_R_SYM(t.rela[k][i].r_info);
            if (sym)
                fn(t.strs + t.syms[sym].st_name, &t.syms[sym], &t.rela[k][i], ctx);
        }
}

/* How many entries .dynsym has: DT_HASH says so; with DT_GNU_HASH alone,
 * one past the last symbol a hash chain reaches (the last of a chain has
 * its low bit set). */
size_t library_symbol_count(const struct library_tables *t)
{
    if (t->sysv_hash)
        return t->sysv_hash[1];
    if (!t->gnu_hash)
        return 0;
    uint32_t nbuckets = t->gnu_hash[0], first = t->gnu_hash[1], bloom_words = t->gnu_hash[2];
    const uint32_t *buckets = t->gnu_hash + 4 + 2 * bloom_words, *chains = buckets + nbuckets;
    uint32_t last = 0;
    for (uint32_t b = 0; b < nbuckets; b++)
        last = buckets[b] > last ? buckets[b] : last;
    if (last < first)
        return first;
    while (!(chains[last - first] & 1))
        last++;
    return last + 1;
}

void library_each_definition(const Elf64_Dyn *dynamic, uintptr_t base, library_def_fn *fn, void *ctx)
{
    struct library_tables t = library_tables(dynamic, base);
    size_t n = t.syms && t.strs ? library_symbol_count(&t) : 0;
    for (size_t i = 1; i < n; i++)
        if (library_is_visible_definition(&t.syms[i]))
            fn(t.strs + t.syms[i].st_name, &t.syms[i], ctx);
}

/* The dynamic section of a loaded library, from its program headers. */
const Elf64_Dyn *library_dynamic(const struct dl_phdr_info *info)
{
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
            return (const Elf64_Dyn *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    return NULL;
}

int library_page_prot(const struct dl_phdr_info *info, uintptr_t addr)
{
    int prot = PROT_READ | PROT_WRITE;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (addr < start || addr - start >= ph->p_memsz)
            continue;
        if (ph->p_type == PT_GNU_RELRO)
            return PROT_READ;
        if (ph->p_type == PT_LOAD)
            prot = (ph->p_flags & PF_R ? PROT_READ : 0) | (ph->p_flags & PF_W ? PROT_WRITE : 0) |
                   (ph->p_flags & PF_X ? PROT_EXEC : 0);
    }
    return prot;
}

int library_write(void *at, const void *bytes, size_t n, int prot)
{
    if (prot & PROT_WRITE) {
        memcpy(at, bytes, n);
        return 0;
    }
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = (uintptr_t)at & ~(page - 1), hi = ALIGN_UP((uintptr_t)at + n, page);
    if (mprotect((void *)lo, hi - lo, prot | PROT_WRITE) < 0)
        return fail("cannot write a loaded library's word at %p: %s", at, strerror(errno));
    memcpy(at, bytes, n);
    mprotect((void *)lo, hi - lo, prot);
    return 0;
}
