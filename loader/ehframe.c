/* Unwind tables: each object's .eh_frame (laid out with a zero terminator
 * after it) is registered with libgcc, so that C++ exceptions, backtrace()
 * and debuggers' unwinders walk through loaded code. Registration is per
 * object so that a reload can retire one object's frames. */
#include <string.h>

#include "linker.h"
#include "util.h"

void __register_frame(void *begin);
void __deregister_frame(void *begin);

static bool is_eh_frame(const struct section *s)
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
            if (!is_eh_frame(s) || s->size < 4)
                continue;
            __register_frame((void *)s->addr);
            ARRAY_PUSH(im->eh_frames, im->neh_frames, im->capeh_frames, s->addr);
        }
    }
}
