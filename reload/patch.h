/* Writing into the running program's image. Its code pages are RX and
 * its relro pages R: a write makes its pages writable, writes, and puts
 * their protection back. Every writer of a reload's commit goes through
 * here, and a page whose protection cannot be changed is an error that
 * names it, never ignored. Nothing here allocates (the commit runs with
 * the program's threads parked, and one may hold a malloc lock). */
#ifndef HOTLD_PATCH_H
#define HOTLD_PATCH_H

#include <stddef.h>
#include <stdint.h>

/* Pages made writable until patch_close. */
struct patch_window {
    uintptr_t start, end;
    int prot_after;
};

/* Make the pages of [addr, addr + len) writable; at patch_close they get
 * prot_after. -1 with fail() if they cannot. */
int patch_open(struct patch_window *w, uintptr_t addr, size_t len, int prot_after);
int patch_close(const struct patch_window *w);
/* Open, copy len bytes of src to addr, close. */
int patch_write(uintptr_t addr, const void *src, size_t len, int prot_after);

#endif
