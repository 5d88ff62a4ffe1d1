/* The stacks of stopped threads, read from outside: every word from a
 * thread's stack pointer to the end of the mapping that holds it. What a
 * word says is not known (a return address, a saved pc, or data), so
 * whoever asks takes each as a possible frame: conservative, and free of
 * the unwinder's locks and of its need for unwind tables. */
#ifndef HOTLD_STACKS_H
#define HOTLD_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Before the world stops: room to read the process's mappings into. */
void stacks_prepare(void);
/* Once it is stopped: read them (or open what the kernel answers
 * questions about them through); false if they did not fit (the world
 * must be let go, and stacks_prepare makes room). */
bool stacks_load(void);
/* Before the world is let go: what stacks_load opened is closed, so that
 * no program thread can close or reuse it. */
void stacks_unload(void);
/* With the world stopped: the first word of the stack at sp for which
 * hit(word, ctx) is true, in *found; false if there is none. */
bool stack_find(uintptr_t sp, bool (*hit)(uintptr_t word, const void *ctx), const void *ctx, uintptr_t *found);

/* The same, from the word at `from` on (a slot of the stack, or its sp):
 * the address of the first word hit, in *slot. */
bool stack_find_slot(uintptr_t from, bool (*hit)(uintptr_t word, const void *ctx), const void *ctx,
                     uintptr_t *slot);

/* Every such word, innermost first; of more than cap, the outermost cap.
 * Returns how many are in out. */
size_t stack_find_all(uintptr_t sp, bool (*hit)(uintptr_t word, const void *ctx), const void *ctx, uintptr_t *out,
                      size_t cap);

#endif
