/* The address-space region that images are placed in.
 *
 * Code compiled as PIE reaches shared-library data (stdout, environ) with
 * 32-bit PC-relative relocations, expecting the data to be copied next to
 * the executable. We cannot move libc's data, so instead we place images
 * within +-2 GiB of libc: a region is reserved (PROT_NONE, no memory
 * committed) right below the shared libraries, and images are carved out of
 * it. Objects with 32-bit absolute relocations (-fno-pie) get a region in
 * the low 2 GiB instead. Reserving once also keeps every later image (a
 * reload) within rel32 reach of the earlier ones. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linker.h"
#include "util.h"

#define HIGH_REGION_SIZE (1ull << 30)
#define LOW_REGION_SIZE (512ull << 20)
#define LOW_REGION_HINT 0x10000000ull
#define REL32_REACH (1ull << 31)
#define HUGE_PAGE (2ul << 20)
/* On a virtual machine the first touch of each 4 KiB page costs a trap
 * to the hypervisor of 5-10 us, even after MADV_POPULATE_WRITE; a 2 MiB
 * page costs one, and zeroing it about 0.2 ms. From this size on, a
 * start's image saves 2 ms or more on huge pages, and uses at most as
 * much memory again as it fills (SQLite's start: 0.88x the time, 0.75
 * MiB more; Lua's 250 KiB image would gain 2% for 1.9 MiB). */
#define HUGE_IMAGE_MIN (1ul << 20)

struct region {
    uintptr_t base, size, used;
};

static struct region high_region, low_region;

static void *reserve(uintptr_t hint, size_t size, int extra)
{
    void *p = mmap((void *)hint, size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extra, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* The lowest address of libc's mapping: shared libraries sit together. */
static uintptr_t libc_base(void)
{
    Dl_info info;
    if (dladdr((void *)fprintf, &info) && info.dli_fbase)
        return (uintptr_t)info.dli_fbase;
    return 0;
}

static bool within_reach(uintptr_t base, size_t size, uintptr_t lib)
{
    uintptr_t lo = base < lib ? base : lib;
    uintptr_t hi = base + size > lib + (64u << 20) ? base + size : lib + (64u << 20);
    return hi - lo < REL32_REACH;
}

static int reserve_high(void)
{
    uintptr_t lib = libc_base();
    void *p = reserve(0, HIGH_REGION_SIZE, 0);
    if (p && lib && !within_reach((uintptr_t)p, HIGH_REGION_SIZE, lib)) {
        munmap(p, HIGH_REGION_SIZE);
        p = NULL;
        /* Walk down from just below the libraries to the first free hole. */
        for (uintptr_t hint = (lib - HIGH_REGION_SIZE) & ~0xfffffull;
             !p && within_reach(hint, HIGH_REGION_SIZE, lib); hint -= 64u << 20)
            p = reserve(hint, HIGH_REGION_SIZE, MAP_FIXED_NOREPLACE);
    }
    if (!p)
        return fail("cannot reserve %llu MiB of address space near the shared libraries",
                    HIGH_REGION_SIZE >> 20);
    high_region.base = (uintptr_t)p;
    high_region.size = HIGH_REGION_SIZE;
    return 0;
}

static int reserve_low(void)
{
    void *p = reserve(LOW_REGION_HINT, LOW_REGION_SIZE, MAP_FIXED_NOREPLACE);
    if (!p)
        p = reserve(0, LOW_REGION_SIZE, MAP_32BIT);
    if (!p || (uintptr_t)p + LOW_REGION_SIZE > REL32_REACH)
        return fail("cannot reserve address space below 2 GiB for objects built with -fno-pie; "
                    "rebuild them with -fPIE or -fPIC");
    low_region.base = (uintptr_t)p;
    low_region.size = LOW_REGION_SIZE;
    return 0;
}

/* Bytes left in the region (reserved first if need be); 0 if it cannot
 * be reserved. */
size_t region_room(bool low)
{
    struct region *r = low ? &low_region : &high_region;
    if (!r->base && (low ? reserve_low() : reserve_high()) < 0)
        return 0;
    return r->size - r->used;
}

/* Fault injection for tests: HOTLD_FAIL_MAP=N makes the Nth image
 * mapping fail as an out-of-memory mmap would (tests/reload/faults.sh). */
static bool injected_map_failure(void)
{
    static long countdown = -1;
    if (countdown < 0) {
        const char *n = getenv("HOTLD_FAIL_MAP");
        countdown = n ? atol(n) : 0;
    }
    return countdown > 0 && --countdown == 0;
}

/* A start's image on transparent huge pages: 2 MiB-aligned, and a whole
 * huge page at least (it has the memory of one, up to 1.9 MiB more than
 * it fills); past its last whole huge page, its tail is on small pages.
 * False if it is too small to gain, or does not fit in the region so. */
static bool place_on_huge_pages(const struct region *r, uintptr_t *addr, size_t *size)
{
    uintptr_t at = ALIGN_UP(*addr, HUGE_PAGE);
    size_t n = *size < HUGE_PAGE ? HUGE_PAGE : *size;
    if (*size < HUGE_IMAGE_MIN || at + n > r->base + r->size)
        return false;
    *addr = at;
    *size = n;
    return true;
}

/* Commit *size bytes (page-aligned, zeroed, read-write) for a new image;
 * a start's (huge) may get more (place_on_huge_pages), and *size says
 * so. Returns 0 on failure. Reloads' images are small, and stay on small
 * pages, which track the memory they use. */
uintptr_t region_alloc(size_t *size, bool low, bool huge)
{
    struct region *r = low ? &low_region : &high_region;
    if (!r->base && (low ? reserve_low() : reserve_high()) < 0)
        return 0;
    if (*size > r->size - r->used)
        return fail("out of image address space (%zu MiB region full)", (size_t)(r->size >> 20)), 0;
    uintptr_t addr = r->base + r->used;
    huge = huge && place_on_huge_pages(r, &addr, size);
    void *p = injected_map_failure() ? (errno = ENOMEM, MAP_FAILED)
                                     : mmap((void *)addr, *size, PROT_READ | PROT_WRITE,
                                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (p == MAP_FAILED)
        return fail("cannot map %zu bytes for the image: %s", *size, strerror(errno)), 0;
    if (huge)
        madvise(p, *size, MADV_HUGEPAGE); /* refused where the kernel has none */
    r->used = addr + *size - r->base;
    return addr;
}

/* Fault in the image's pages that the link will write, in one call: on a
 * virtual machine each first write to a page costs a fault of 5-10 us,
 * and the kernel populates a range for about half that a page. Not the
 * bss, which stays untouched until the program writes it, as in a linked
 * program. A kernel before 5.14 refuses, and the pages fault as before. */
void region_prefault(uintptr_t addr, size_t size)
{
    if (size)
        madvise((void *)addr, size, MADV_POPULATE_WRITE);
}

int region_protect(uintptr_t addr, size_t size, int prot)
{
    if (size && mprotect((void *)addr, size, prot) < 0)
        return fail("mprotect of the image failed: %s", strerror(errno));
    return 0;
}

/* Where the region is reserved ([0, 0) until it is). */
void region_span(bool low, uintptr_t *lo, uintptr_t *hi)
{
    const struct region *r = low ? &low_region : &high_region;
    *lo = r->base;
    *hi = r->base + r->size;
}

/* Pages for a rehearsal or scratch image: anywhere, since its code never
 * runs. */
uintptr_t rehearsal_alloc(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return fail("cannot map %zu bytes for the image: %s", size, strerror(errno)), 0;
    return (uintptr_t)p;
}

/* Give back pages of the region: they go, their range stays reserved, and
 * if they end its used part (the newest image's, or its tail) the next
 * image starts there. */
void region_release(uintptr_t addr, size_t size)
{
    mmap((void *)addr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    struct region *regions[] = {&high_region, &low_region};
    for (int i = 0; i < 2; i++) {
        struct region *r = regions[i];
        if (r->base && addr >= r->base && addr + size == r->base + r->used)
            r->used = addr - r->base;
    }
}

/* The pages of an image nothing runs: a failed link's, a scratch link's,
 * or a rehearsal's (whose addresses are another image's, in use). */
void image_release(struct image *im)
{
    if (im->ran)
        return;
    if (im->own_pages)
        munmap(image_bytes(im, im->base), im->size);
    else if (im->base)
        region_release(im->base, im->size);
}
