/* Writing into the running program's image. Its code pages are RX and
 * its relro pages R: a write makes its pages writable, writes, and puts
 * their protection back. Every writer of a reload's commit goes through
 * here, and a page whose protection cannot be changed is an error that
 * names it, never ignored. Nothing here allocates (the commit runs with
 * the program's threads parked, and one may hold a malloc lock). */
#ifndef HOTLD_PATCH_H
#define HOTLD_PATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pages made writable until patch_close. */
struct patch_window {
    uintptr_t start, end;
    int prot_after;
};

/* Make the pages of [addr, addr + len) writable, and executable too if
 * prot_after says so; at patch_close they get prot_after. -1 with fail()
 * if they cannot. */
int patch_open(struct patch_window *w, uintptr_t addr, size_t len, int prot_after);
int patch_close(const struct patch_window *w);
/* Code and pointers that a thread may be reaching while they change (one
 * that blocks hotld's signal, asleep when the others were parked, may
 * wake during the commit) are written so that it sees the old bytes or
 * the new, never a mix. */
/* n (at most 8) bytes of code at `at`, in pages already open: in one
 * store if they and the rest of their 8-byte word stay within a cache
 * line; else the first two bytes become a jump to themselves, which holds
 * an arriving thread, while the rest is written, and are written last. */
void patch_code(uintptr_t at, const uint8_t *bytes, size_t n);
/* Is code written at `at` seen whole by a thread running meanwhile? (Not
 * at the last byte of a cache line.) */
bool patch_code_is_atomic(uintptr_t at);
/* An 8-byte value (a GOT slot, a stub's target) in one store. */
int patch_write8(uintptr_t at, uint64_t value, int prot_after);

/* Bytes of the new image copied over the program's storage: a registry
 * section's part, a vtable. Aligned words are written in single stores:
 * a thread that wakes meanwhile reads each slot old or new. */
struct overwrite {
    uintptr_t to, from;
    size_t size;
    int prot;                   /* of the pages at to */
};
int patch_overwrites(const struct overwrite *o, size_t n);

#endif
