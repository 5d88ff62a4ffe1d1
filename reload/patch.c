#include "patch.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"
#include "valgrind.h"

/* Code pages stay executable while they are written: a thread that blocks
 * hotld's signal is not parked but asleep, and may wake mid-commit and run
 * code on these pages (or on code sharing them); without PROT_EXEC it
 * would die of SIGSEGV. What it runs is whole, old or new (patch_code). */
int patch_open(struct patch_window *w, uintptr_t addr, size_t len, int prot_after)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    w->start = addr & ~(page - 1);
    w->end = ALIGN_UP(addr + len, page);
    w->prot_after = prot_after;
    if (mprotect((void *)w->start, w->end - w->start, prot_after | PROT_READ | PROT_WRITE) < 0)
        return fail("cannot make the program's pages 0x%lx-0x%lx writable to patch them: %s",
                    (unsigned long)w->start, (unsigned long)w->end, strerror(errno));
    return 0;
}

int patch_close(const struct patch_window *w)
{
    if (w->prot_after & PROT_EXEC)
        valgrind_code_changed(w->start, w->end - w->start);
    if (mprotect((void *)w->start, w->end - w->start, w->prot_after) < 0)
        return fail("cannot protect the program's pages 0x%lx-0x%lx again after patching them: %s",
                    (unsigned long)w->start, (unsigned long)w->end, strerror(errno));
    return 0;
}

/* One store of 8 bytes: atomic for any thread that reads or executes
 * them, as long as they stay within a cache line (x86-64). */
static void store8(uintptr_t at, uint64_t value)
{
    __asm__ volatile("movq %1, (%0)" : : "r"(at), "r"(value) : "memory");
}

static void store2(uintptr_t at, uint16_t value)
{
    __asm__ volatile("movw %1, (%0)" : : "r"(at), "r"(value) : "memory");
}

bool patch_code_is_atomic(uintptr_t at)
{
    return at % 64 + 2 <= 64;
}

void patch_code(uintptr_t at, const uint8_t *bytes, size_t n)
{
    if (at % 64 + 8 <= 64) { /* the bytes and the rest of the word in one line */
        uint8_t word[8];
        memcpy(word, (const void *)at, 8);
        memcpy(word, bytes, n);
        uint64_t v;
        memcpy(&v, word, 8);
        store8(at, v);
        return;
    }
    if (patch_code_is_atomic(at) && n > 2) { /* hold arrivals at the first byte meanwhile */
        uint16_t head;
        memcpy(&head, bytes, 2);
        store2(at, 0xfeeb); /* jmp . */
        memcpy((void *)(at + 2), bytes + 2, n - 2);
        store2(at, head);
        return;
    }
    memcpy((void *)at, bytes, n); /* at the last byte of a line */
}

static void copy_words(uintptr_t to, uintptr_t from, size_t size)
{
    size_t i = 0;
    for (; to % 8 == 0 && from % 8 == 0 && i + 8 <= size; i += 8)
        store8(to + i, *(const uint64_t *)(from + i));
    memcpy((void *)(to + i), (const void *)(from + i), size - i);
}

int patch_overwrites(const struct overwrite *o, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct patch_window w;
        if (patch_open(&w, o[i].to, o[i].size, o[i].prot) < 0) {
            rc = -1;
            continue;
        }
        copy_words(o[i].to, o[i].from, o[i].size);
        rc |= patch_close(&w);
    }
    return rc;
}

int patch_write8(uintptr_t at, uint64_t value, int prot_after)
{
    struct patch_window w;
    if (patch_open(&w, at, 8, prot_after) < 0)
        return -1;
    if (at % 64 + 8 <= 64)
        store8(at, value);
    else
        memcpy((void *)at, &value, 8);
    return patch_close(&w);
}
