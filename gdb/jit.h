/* GDB's JIT interface (gdb/jit.c in GDB; "JIT Compilation Interface" in
 * the GDB manual): hotld publishes each loaded object as an in-memory ELF
 * file, and GDB reads its symbols and DWARF from there. */
#ifndef HOTLD_GDB_JIT_H
#define HOTLD_GDB_JIT_H

#include <stdbool.h>
#include <stddef.h>

struct jit_code_entry;

/* Tell an attached debugger (or one that attaches later) about an ELF
 * image in memory, which must stay valid until its entry is removed. In
 * steps, for a reload: entries are made before the program's threads are
 * parked, added and removed while they are (no allocation), and freed
 * afterwards. */
struct jit_code_entry *jit_entry_new(const void *image, size_t size);
void jit_entry_add(struct jit_code_entry *entry);
void jit_entry_remove(struct jit_code_entry *entry);
void jit_entry_free(struct jit_code_entry *entry);
/* An image is on its way (made by another thread): a process about to
 * die of a signal waits for it, at most ms milliseconds, so that its core
 * file has it for a debugger to read. */
void jit_image_awaited(void);
bool jit_image_is_awaited(void);
void jit_wait_for_image(unsigned ms);
/* Is a debugger attached to this process now (TracerPid)? */
bool jit_debugger_attached(void);

/* The image an entry publishes, and its size. */
const void *jit_entry_image(const struct jit_code_entry *entry, size_t *size);
/* The same image, in other bytes (compressed), for an entry that may be
 * registered: a debugger that attaches meanwhile reads one or the other. */
void jit_entry_set_image(struct jit_code_entry *entry, const void *image, size_t size);

#endif
