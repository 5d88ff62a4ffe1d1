/* Unwind tables: each object's .eh_frame (laid out with a zero terminator
 * after it) is registered with libgcc, so that C++ exceptions, backtrace()
 * and debuggers' unwinders walk through loaded code. Registration is per
 * object so that a reload can retire one object's frames. */
#include <string.h>

#include "linker.h"
#include "util.h"

void __register_frame(void *begin);
void __deregister_frame(void *begin);

/* libgcc's lookup of a pc's unwind table (unwind-dw2-fde.h). */
struct dwarf_eh_bases {
    void *tbase, *dbase, *func;
};
const void *_Unwind_Find_FDE(void *pc, struct dwarf_eh_bases *bases);

bool section_is_unwind_table(const struct section *s)
{
    return s->type == SHT_X86_64_UNWIND || !strcmp(s->name, ".eh_frame");
}

void deregister_eh_frames(struct link *ld)
{
    struct image *im = ld->image;
    for (size_t i = 0; i < im->neh_frames; i++)
        __deregister_frame((void *)im->eh_frames[i]);
    im->neh_frames = 0;
}

void register_eh_frames(struct link *ld)
{
    struct image *im = ld->image;
    for (size_t i = 0; i < ld->noutsecs; i++) {
        struct outsec *o = ld->outsecs[i];
        for (size_t j = 0; j < o->nin; j++) {
            struct section *s = o->in[j];
            if (!section_is_unwind_table(s) || s->size < 4)
                continue;
            __register_frame((void *)s->addr);
            ARRAY_PUSH(im->eh_frames, im->neh_frames, im->capeh_frames, s->addr);
        }
    }
}

/* libgcc sorts a registered table, with malloc, at its first lookup. A
 * lookup that finds nothing sorts every new one now, so that no unwinding
 * later allocates: not a parked thread's backtrace, not a crash report,
 * whose thread may hold a malloc lock. */
void sort_unwind_tables(void)
{
    struct dwarf_eh_bases bases;
    _Unwind_Find_FDE((void *)1, &bases);
}
