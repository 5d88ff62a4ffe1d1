/* An object's DWARF, as dwarf/ reads it (variables, types, functions),
 * read the first time a reload asks and kept with the object: a reload
 * that replaces an object compares the old version's variables with the
 * new one's, and the old version is the one the previous reload read as
 * new. Each version is read once, not at every reload that meets it.
 *
 * libdwarf reads sections lazily from a descriptor (a memfd), seeking:
 * a forked process shares the descriptor's offset with its parent, so
 * each process forgets what it inherited and reads its own. */
#include "linker.h"
#include "typeinfo.h"

struct debug_info *object_dwarf(struct object *obj)
{
    if (obj->dwarf_known)
        return obj->dwarf;
    size_t size;
    const char *bytes = object_bytes(obj, &size);
    obj->dwarf = bytes ? debug_info_open(bytes, size) : NULL;
    obj->dwarf_known = true;
    return obj->dwarf;
}

void object_dwarf_free(struct object *obj)
{
    debug_info_close(obj->dwarf);
    obj->dwarf = NULL;
    obj->dwarf_known = true; /* the bytes it would be read from go too */
}

void link_forget_dwarf(struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs; i++)
        if (ld->objs[i]->dwarf) {
            debug_info_close(ld->objs[i]->dwarf);
            ld->objs[i]->dwarf = NULL;
            ld->objs[i]->dwarf_known = false;
        }
}
