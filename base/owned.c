/* hotld's own heap blocks, in an open-addressing table of their start
 * addresses (linear probing, deletion by shifting back, at most half
 * full); a block's end is malloc_usable_size's, asked only for a
 * snapshot. hotld's threads allocate concurrently, so a lock guards it;
 * the table itself comes from plain malloc, since it is not a record the
 * scan could confuse. The first link's heap (linkheap.c) is one block.
 * A block of its own mapping (hugeblock.c) is a span, start and size, in
 * a small table of its own under the same lock. */
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "linkheap.h"
#include "owned.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t *slots;        /* block starts; 0: empty */
static size_t cap, used;
static struct owned_block spans[OWNED_MAX_SPANS]; /* end: start + size */
static size_t nspans;

/* The table is written in several steps: it is held across a fork, so
 * that a child of the program (which goes on allocating) finds it whole.
 * Every allocation takes this lock, so it is the last one a fork takes:
 * registered first, its prepare handler runs after every other's. */
static void take(void)
{
    pthread_mutex_lock(&lock);
}

static void give(void)
{
    pthread_mutex_unlock(&lock);
}

__attribute__((constructor)) static void hold_across_fork(void)
{
    pthread_atfork(take, give, give);
}

/* Blocks are 16-byte aligned (8 under ASan). The blocks of one 128-byte
 * stretch of the heap share a cache line of slots, in address order;
 * the stretches are spread by a multiplicative hash. Plain address
 * order (p >> 4) kept every stretch beside the next, but the heap wraps
 * the table: where it is dense, stretches a multiple of the table apart
 * filled each other's gaps, and the runs grew to hundreds of slots (a
 * reload command of 1,000 objects spent a tenth of its time deleting);
 * a mixing hash of every block made every note a cache miss, and the
 * first link of 1,000 objects 8% slower. */
static size_t home(uintptr_t p)
{
    uintptr_t stretch = (p >> 7) * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(((stretch >> 32) << 3) | ((p >> 4) & 7)) & (cap - 1);
}

static void put(uintptr_t p)
{
    size_t i = home(p);
    while (slots[i] && slots[i] != p)
        i = (i + 1) & (cap - 1);
    used += !slots[i];
    slots[i] = p;
}

static void grow(void)
{
    uintptr_t *old = slots;
    size_t oldcap = cap;
    cap = cap ? cap * 2 : 1024;
    slots = calloc(cap, sizeof *slots);
    if (!slots) {
        fputs("hotld: error: out of memory for the table of hotld's heap blocks\n", stderr);
        abort();
    }
    used = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i])
            put(old[i]);
    free(old);
}

void owned_note(uintptr_t p)
{
    pthread_mutex_lock(&lock);
    if ((used + 1) * 2 > cap)
        grow();
    put(p);
    pthread_mutex_unlock(&lock);
}

/* Close the gap at i: a later entry of the run whose home is not
 * between the gap and it moves into the gap. */
static void remove_at(size_t i)
{
    slots[i] = 0;
    used--;
    for (size_t j = (i + 1) & (cap - 1); slots[j]; j = (j + 1) & (cap - 1)) {
        size_t h = home(slots[j]);
        bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
        if (!stays) {
            slots[i] = slots[j];
            slots[j] = 0;
            i = j;
        }
    }
}

void owned_forget(uintptr_t p)
{
    if (!p)
        return;
    pthread_mutex_lock(&lock);
    size_t i = cap ? home(p) : 0;
    while (cap && slots[i] && slots[i] != p)
        i = (i + 1) & (cap - 1);
    if (cap && slots[i])
        remove_at(i);
    pthread_mutex_unlock(&lock);
}

static struct owned_block *span_at(uintptr_t start)
{
    for (size_t i = 0; i < nspans; i++)
        if (spans[i].start == start)
            return &spans[i];
    return NULL;
}

bool owned_note_span(uintptr_t start, size_t size)
{
    pthread_mutex_lock(&lock);
    bool room = nspans < OWNED_MAX_SPANS;
    if (room)
        spans[nspans++] = (struct owned_block){start, start + size};
    pthread_mutex_unlock(&lock);
    return room;
}

size_t owned_span_size(uintptr_t start)
{
    pthread_mutex_lock(&lock);
    struct owned_block *s = span_at(start);
    size_t size = s ? s->end - s->start : 0;
    pthread_mutex_unlock(&lock);
    return size;
}

void owned_resize_span(uintptr_t start, size_t size)
{
    pthread_mutex_lock(&lock);
    struct owned_block *s = span_at(start);
    if (s)
        s->end = start + size;
    pthread_mutex_unlock(&lock);
}

void owned_forget_span(uintptr_t start)
{
    pthread_mutex_lock(&lock);
    struct owned_block *s = span_at(start);
    if (s)
        *s = spans[--nspans];
    pthread_mutex_unlock(&lock);
}

static int by_start(const void *a, const void *b)
{
    const struct owned_block *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

size_t owned_blocks(struct owned_block *out, size_t max)
{
    struct owned_block heap;
    linkheap_span(&heap.start, &heap.end);
    pthread_mutex_lock(&lock);
    size_t n = used + (heap.end > heap.start) + nspans, k = 0;
    for (size_t i = 0; n <= max && i < cap; i++)
        if (slots[i])
            out[k++] = (struct owned_block){slots[i], slots[i] + malloc_usable_size((void *)slots[i])};
    for (size_t i = 0; n <= max && i < nspans; i++)
        out[k++] = spans[i];
    if (n <= max && heap.end > heap.start)
        out[k] = heap;
    pthread_mutex_unlock(&lock);
    if (n <= max)
        qsort(out, n, sizeof *out, by_start);
    return n;
}

bool owned_block_holds(const struct owned_block *blocks, size_t n, uintptr_t addr)
{
    size_t lo = 0, hi = n; /* the last block starting at or below addr */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (blocks[mid].start <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && addr < blocks[lo - 1].end;
}
