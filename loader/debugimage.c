/* The image a debugger reads for one loaded object: the object file itself,
 * with each loaded section's sh_addr set to where it was loaded. GDB reads
 * symbols and DWARF from it and applies the .rela.debug_* relocations
 * itself (it is ET_REL), so nothing else needs rewriting. */
#include <string.h>

#include "linker.h"
#include "util.h"

static void set_load_addresses(const struct object *obj, char *image, size_t size, bool clear)
{
    Elf64_Ehdr eh;
    memcpy(&eh, image, sizeof eh);
    for (size_t i = 1; i < obj->nsecs; i++) {
        const struct section *s = &obj->secs[i];
        Elf64_Addr addr = !clear && s->out && !s->discarded ? s->addr : 0;
        size_t at = eh.e_shoff + i * sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_addr);
        if (at + sizeof addr <= size) /* checked when read; kept safe */
            memcpy(image + at, &addr, sizeof addr);
    }
}

/* The object's bytes as they are on disk (sh_addr 0 everywhere). */
void object_clear_load_addresses(const struct object *obj, char *image, size_t size)
{
    set_load_addresses(obj, image, size, true);
}

/* Returns the image (the object's own bytes, patched in place, or a copy
 * for an archive member, whose bytes the archive owns) or NULL. */
const void *object_debug_image(struct object *obj, size_t *size)
{
    const char *raw = obj->file.bytes;
    char *image;
    *size = obj->file.size;
    if (raw) {
        image = obj->file.bytes;
    } else {
        raw = elf_rawfile(obj->elf, size);
        if (!raw)
            return NULL;
        image = obj->debug_copy = xmalloc(*size);
        memcpy(image, raw, *size);
    }
    set_load_addresses(obj, image, *size, false);
    return image;
}
