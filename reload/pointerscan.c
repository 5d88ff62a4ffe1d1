/* Pointers into storage a reload moves, wherever the program keeps them.
 *
 * A variable whose type changed migrates to new storage, and one whose
 * section's layout changed moves; the program may hold pointers into the
 * old storage anywhere: in its data, on the heap, on its threads' stacks
 * and in their TLS blocks. At the commit, with every program thread
 * parked, each is pointed at the same place in the new storage:
 *   - in the image, every generation's writable data sections (relro and
 *     storage given back excepted), exactly;
 *   - with --rewrite-pointers=all (the default), the rest of the
 *     program's writable memory as well: every private anonymous mapping
 *     (the heap's arenas, large blocks, thread stacks and the static TLS
 *     blocks at their tops), its resident and swapped-out pages only.
 *
 * A word is taken for a pointer only if it is 8-byte aligned, its value
 * lies inside one moved variable's old storage (a pointer just past the
 * end is left: it may as well be the next variable's), and the variable's
 * copy plan says where that byte went (not inside a scalar that changed
 * representation). Left alone: hotld's own heap blocks (base/owned.h) and
 * threads' stacks, hotld's frames below a program thread that runs the
 * reload, every loaded ELF file's segments (hotld's own, and libraries'
 * data: a stdio buffer set with setvbuf is not followed), shared mappings
 * (another process's or a device's memory), the image regions (done
 * exactly, above), and mappings of 1 TiB or more (sanitizers' shadow).
 * Memory is read and written through process_vm_readv/writev, so that a
 * page unmapped meanwhile by one of hotld's threads is skipped, not a
 * crash. */
#include "forksafe.h"
#include "pointerscan.h"

#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "procmaps.h"
#include "stopworld.h"
#include "typeinfo.h"
#include "util.h"

#define PAGE 4096ul
#define HUGE_MAPPING (1ull << 40)
#define PM_PRESENT (1ull << 63)
#define PM_SWAPPED (1ull << 62)

struct moved_storage {
    uintptr_t from, to;
    uint64_t size;
    const struct type_plan *plan; /* NULL: the same layout */
    bool start_only;            /* a user's migration function, or a resized
                                   constant: only the start has a known
                                   place */
    bool start_ambiguous;       /* another object ends at from */
    const char *name;           /* the variable's symbol, if known */
};

static struct span own_stacks[MAX_HOTLD_THREADS]; /* {0, 0}: a free slot */
static pthread_mutex_t own_stacks_lock = PTHREAD_MUTEX_INITIALIZER;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_mutex(&own_stacks_lock);
}
static _Thread_local uintptr_t program_frames_floor;

/* The calling thread's stack, from pthread's record of it. */
static bool own_stack(struct span *out)
{
    pthread_attr_t attr;
    void *addr;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return false;
    bool ok = pthread_attr_getstack(&attr, &addr, &size) == 0;
    pthread_attr_destroy(&attr);
    *out = (struct span){(uintptr_t)addr, (uintptr_t)addr + size};
    return ok;
}

/* Put `to` in the slot that holds `from`. */
static void own_stacks_swap(struct span from, struct span to)
{
    pthread_mutex_lock(&own_stacks_lock);
    for (size_t i = 0; i < ARRAY_SIZE(own_stacks); i++)
        if (own_stacks[i].lo == from.lo && own_stacks[i].hi == from.hi) {
            own_stacks[i] = to;
            break;
        }
    pthread_mutex_unlock(&own_stacks_lock);
}

void pointers_skip_own_stack(void)
{
    struct span s;
    if (own_stack(&s))
        own_stacks_swap((struct span){0, 0}, s);
}

void pointers_forget_own_stack(void)
{
    struct span s;
    if (own_stack(&s))
        own_stacks_swap(s, (struct span){0, 0});
}

void pointers_program_frames_above(uintptr_t frame)
{
    program_frames_floor = frame;
}

/* The program's data the scan reads word by word. */
static bool is_scanned_data(const struct section *s)
{
    return s->out && s->out->seg == SEG_DATA && !(s->flags & SHF_TLS) && !s->discarded && !s->storage_unused;
}

/* Does another object of the program end at addr (a variable, or a
 * section: __stop_SEC)? A word that holds addr may then be a pointer past
 * it, a loop's bound, as well as one to what starts there. */
static bool something_ends_at(struct link *const *gens, size_t ngens, uintptr_t addr)
{
    for (size_t g = 0; g < ngens; g++)
        for (size_t i = 0; i < gens[g]->nobjs; i++) {
            const struct object *obj = gens[g]->objs[i];
            for (size_t j = 1; j < obj->nsecs; j++)
                if (obj->secs[j].out && obj->secs[j].addr != addr && obj->secs[j].addr + obj->secs[j].size == addr)
                    return true;
            for (size_t k = 1; obj->syms && k < obj->nsyms; k++) {
                const struct symbol *s = obj->syms[k];
                if (s && s->type == STT_OBJECT && s->size && s->addr + s->size == addr)
                    return true;
            }
        }
    return false;
}

/* Storage an overwrite writes the new version over stays where the
 * program's pointers are (a registry's first part). */
static bool stays(const struct overwrite *kept, size_t nkept, uintptr_t addr)
{
    for (size_t i = 0; i < nkept; i++)
        if (addr >= kept[i].to && addr < kept[i].to + kept[i].size)
            return true;
    return false;
}

static void add_move(struct pointer_scan *ps, struct moved_storage m, size_t *cap)
{
    if (!m.size)
        return;
    ARRAY_PUSH(ps->moves, ps->nmoves, *cap, m);
    ps->lo = ps->nmoves == 1 || m.from < ps->lo ? m.from : ps->lo;
    ps->hi = m.from + m.size > ps->hi ? m.from + m.size : ps->hi;
}

static void skip(struct pointer_scan *ps, uintptr_t lo, uintptr_t hi)
{
    if (lo < hi)
        ARRAY_PUSH(ps->skip, ps->nskip, ps->capskip, ((struct span){lo, hi}));
}

static int skip_segments(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD)
            skip(arg, lo & ~(PAGE - 1), ALIGN_UP(lo + ph->p_memsz, PAGE));
    }
    return 0;
}

static int by_lo(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

/* hotld's heap blocks, taken last: whatever prepare allocated is in. */
static void snapshot_owned(struct pointer_scan *ps)
{
    size_t cap = 0;
    for (;;) {
        size_t n = owned_blocks(ps->owned, cap);
        if (n <= cap) {
            ps->nowned = n;
            return;
        }
        xfree(ps->owned);
        cap = n + n / 4 + 64;
        ps->owned = xmalloc(cap * sizeof *ps->owned);
    }
}

static bool starts_ambiguous_move(const struct pointer_scan *ps, uintptr_t start)
{
    for (size_t i = 0; start && i < ps->nmoves; i++)
        if (ps->moves[i].from == start && ps->moves[i].start_ambiguous)
            return true;
    return false;
}

/* Where r, in obj, made its word point: the start of a variable or
 * constant (its address), or 0 for anywhere else (past an object's end,
 * inside one). */
static uintptr_t start_reached(struct object *obj, const Elf64_Sym *raw, size_t nraw, const Elf64_Rela *r)
{
    size_t k = ELF64_R_SYM(r->r_info);
    if (ELF64_R_TYPE(r->r_info) != R_X86_64_64 || !k || k >= nraw || k >= obj->nsyms)
        return 0;
    if (GELF_ST_TYPE(raw[k].st_info) != STT_SECTION)
        return r->r_addend ? 0 : obj->syms[k]->addr;
    uint64_t place = raw[k].st_value + (uint64_t)r->r_addend;
    size_t h = object_symbol_holding(obj, raw[k].st_shndx, place);
    return h && h < obj->nsyms && raw[h].st_value == place ? obj->syms[h]->addr : 0;
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return (x > y) - (x < y);
}

/* The words of the program's data that its relocations made point at an
 * ambiguous start (that of a moved variable another object ends at): a
 * pointer to the one, not past the other, so they are rewritten. (An
 * object whose relocations are gone, retired, has none.) Before the
 * threads are parked: the symbol index allocates. */
static void vouch_for_starts(struct pointer_scan *ps, struct link *const *gens, size_t ngens)
{
    size_t cap = 0;
    for (size_t g = 0; g < ngens; g++)
        for (size_t i = 0; i < gens[g]->nobjs; i++) {
            struct object *obj = gens[g]->objs[i];
            size_t nraw;
            const Elf64_Sym *raw = obj->syms ? object_raw_symbols(obj, &nraw) : NULL;
            for (size_t j = 1; raw && j < obj->nsecs; j++) {
                const struct section *s = &obj->secs[j];
                for (size_t k = 0; is_scanned_data(s) && k < s->nrelas; k++)
                    if (starts_ambiguous_move(ps, start_reached(obj, raw, nraw, &s->relas[k])))
                        ARRAY_PUSH(ps->vouched, ps->nvouched, cap, s->addr + s->relas[k].r_offset);
            }
        }
    if (ps->nvouched)
        qsort(ps->vouched, ps->nvouched, sizeof *ps->vouched, by_address);
}

void pointers_prepare(struct pointer_scan *ps, const struct bind_result *r, const struct overwrite *kept,
                      size_t nkept, struct link *const *gens, size_t ngens, enum pointer_reach reach)
{
    size_t cap = 0;
    *ps = (struct pointer_scan){.reach = reach, .pagemap = -1, .floor = program_frames_floor, .prepared = true};
    for (size_t i = 0; reach != POINTERS_NONE && i < r->nmigrations; i++) {
        const struct var_migration *m = &r->migrations[i];
        struct moved_storage moved = {m->from, m->to, m->old_size, m->plan, m->user || !m->plan, false, m->name};
        if (!m->tls && !stays(kept, nkept, m->from))
            add_move(ps, moved, &cap);
    }
    for (size_t i = 0; reach != POINTERS_NONE && i < r->ncopies; i++)
        if (!stays(kept, nkept, r->copies[i].from))
            add_move(ps, (struct moved_storage){.from = r->copies[i].from, .to = r->copies[i].to,
                                                .size = r->copies[i].size},
                     &cap);
    for (size_t i = 0; reach != POINTERS_NONE && i < r->nrepoints; i++)
        add_move(ps, (struct moved_storage){.from = r->repoints[i].from, .to = r->repoints[i].to,
                                            .size = r->repoints[i].size, .start_only = r->repoints[i].start_only,
                                            .name = r->repoints[i].name},
                 &cap);
    bool ambiguous = false;
    for (size_t i = 0; i < ps->nmoves; i++)
        ambiguous |= ps->moves[i].start_ambiguous = something_ends_at(gens, ngens, ps->moves[i].from);
    if (ambiguous)
        vouch_for_starts(ps, gens, ngens);
    if (!ps->nmoves || reach != POINTERS_ALL)
        return;
    dl_iterate_phdr(skip_segments, ps);
    for (int low = 0; low < 2; low++) {
        uintptr_t lo, hi;
        region_span(low, &lo, &hi);
        skip(ps, lo, hi);
    }
    pthread_mutex_lock(&own_stacks_lock);
    for (size_t i = 0; i < ARRAY_SIZE(own_stacks); i++)
        if (own_stacks[i].hi)
            skip(ps, own_stacks[i].lo, own_stacks[i].hi);
    pthread_mutex_unlock(&own_stacks_lock);
    qsort(ps->skip, ps->nskip, sizeof *ps->skip, by_lo);
    ps->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    snapshot_owned(ps);
}

void pointers_free(struct pointer_scan *ps)
{
    if (ps->prepared && ps->pagemap >= 0)
        close(ps->pagemap);
    xfree(ps->moves);
    xfree(ps->vouched);
    xfree(ps->skip);
    xfree(ps->owned);
    *ps = (struct pointer_scan){0};
}

static bool is_vouched(const struct pointer_scan *ps, uintptr_t where)
{
    return ps->nvouched && bsearch(&where, ps->vouched, ps->nvouched, sizeof *ps->vouched, by_address);
}

/* Where the pointer v, at `where`, goes, if it points into moved storage.
 * A word at a start another object ends at is left, and counted, unless
 * its relocation said which it points at. */
static bool new_place(struct pointer_scan *ps, uintptr_t where, uintptr_t v, uintptr_t *out)
{
    if (v < ps->lo || v >= ps->hi)
        return false;
    for (size_t i = 0; i < ps->nmoves; i++) {
        const struct moved_storage *m = &ps->moves[i];
        uint64_t off = v - m->from, to = off;
        if (v < m->from || off >= m->size)
            continue;
        if (m->start_only ? off != 0 : m->plan && off && !type_plan_offset(m->plan, off, &to))
            return false;
        if (off == 0 && m->start_ambiguous && !is_vouched(ps, where)) {
            ps->ambiguous++;
            ps->ambiguous_name = ps->ambiguous_name ? ps->ambiguous_name : m->name;
            return false;
        }
        *out = m->to + to;
        return true;
    }
    return false;
}

static size_t rewrite_words(struct pointer_scan *ps, uintptr_t *words, size_t n)
{
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        uintptr_t to;
        if (new_place(ps, (uintptr_t)&words[i], words[i], &to)) {
            words[i] = to;
            done++;
        }
    }
    return done;
}

static void rewrite_section(struct pointer_scan *ps, const struct section *s)
{
    uintptr_t start = ALIGN_UP(s->addr, 8), end = s->addr + s->size;
    if (start < end)
        ps->in_data += rewrite_words(ps, (uintptr_t *)start, (end - start) / 8);
}

static void rewrite_data_sections(struct pointer_scan *ps, struct link *const *gens, size_t ngens)
{
    for (size_t g = 0; g < ngens; g++)
        for (size_t i = 0; i < gens[g]->nobjs; i++) {
            const struct object *obj = gens[g]->objs[i];
            for (size_t j = 1; j < obj->nsecs; j++)
                if (is_scanned_data(&obj->secs[j]))
                    rewrite_section(ps, &obj->secs[j]);
        }
}

/* One run of resident pages, through a buffer: words found are written
 * back one by one, unless hotld owns them. */
static void scan_run(struct pointer_scan *ps, uintptr_t lo, uintptr_t hi)
{
    static uintptr_t buf[8192];
    pid_t self = getpid();
    for (uintptr_t at = lo; at < hi;) {
        size_t len = hi - at < sizeof buf ? hi - at : sizeof buf;
        struct iovec local = {buf, len}, remote = {(void *)at, len};
        ssize_t got = process_vm_readv(self, &local, 1, &remote, 1, 0);
        if (got <= 0) { /* gone meanwhile: the next page */
            at = (at & ~(PAGE - 1)) + PAGE;
            continue;
        }
        for (size_t i = 0; i < (size_t)got / 8; i++) {
            uintptr_t to, where = at + i * 8;
            if (buf[i] < ps->lo || buf[i] >= ps->hi || owned_block_holds(ps->owned, ps->nowned, where) ||
                !new_place(ps, where, buf[i], &to))
                continue;
            struct iovec l = {&to, 8}, r = {(void *)where, 8};
            if (process_vm_writev(self, &l, 1, &r, 1, 0) == 8)
                ps->in_memory++;
        }
        at += (size_t)got & ~(size_t)7;
    }
}

/* The pages of [lo, hi) that hold anything: present or swapped out. */
static void scan_pages(struct pointer_scan *ps, uintptr_t lo, uintptr_t hi)
{
    static uint64_t entries[512];
    if (ps->pagemap < 0) {
        scan_run(ps, lo, hi);
        return;
    }
    for (uintptr_t page = lo; page < hi;) {
        size_t want = (hi - page) / PAGE < ARRAY_SIZE(entries) ? (hi - page) / PAGE : ARRAY_SIZE(entries);
        ssize_t got = pread(ps->pagemap, entries, want * 8, (off_t)(page / PAGE * 8));
        if (got < 8) {
            scan_run(ps, page, hi);
            return;
        }
        size_t n = (size_t)got / 8;
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && (entries[j] & (PM_PRESENT | PM_SWAPPED)))
                j++;
            if (j > i)
                scan_run(ps, page + i * PAGE, page + j * PAGE);
            i = j + 1;
        }
        page += n * PAGE;
    }
}

/* [lo, hi) less the spans the scan leaves alone. */
static void scan_mapping(struct pointer_scan *ps, uintptr_t lo, uintptr_t hi)
{
    if (ps->floor > lo && ps->floor < hi)
        lo = ALIGN_UP(ps->floor, 8);
    for (size_t i = 0; i < ps->nskip && lo < hi; i++) {
        const struct span *s = &ps->skip[i];
        if (s->hi <= lo || s->lo >= hi)
            continue;
        if (s->lo > lo)
            scan_pages(ps, lo, s->lo);
        lo = s->hi;
    }
    if (lo < hi)
        scan_pages(ps, lo, hi);
}

/* One line of /proc/self/maps: a private anonymous read-write mapping is
 * scanned ("start-end rw-p offset dev inode [name]", "rwxp" too). */
static void consider_mapping(const char *line, void *scan)
{
    struct pointer_scan *ps = scan;
    char *p;
    uintptr_t lo = strtoull(line, &p, 16), hi = strtoull(p + 1, &p, 16);
    if (strncmp(p, " rw", 3) || p[4] != 'p') /* an executable stack is "rwxp" */
        return;
    strtoull(p + 6, &p, 16);               /* offset */
    while (*p == ' ')
        p++;
    p += strcspn(p, " ");                  /* device */
    unsigned long long inode = strtoull(p, &p, 10);
    if (inode == 0 && hi - lo < HUGE_MAPPING)
        scan_mapping(ps, lo, hi);
}

void pointers_rewrite(struct pointer_scan *ps, struct link *const *gens, size_t ngens)
{
    if (!ps->nmoves)
        return;
    rewrite_data_sections(ps, gens, ngens);
    if (ps->reach == POINTERS_ALL)
        procmaps_each_line(consider_mapping, ps);
}
