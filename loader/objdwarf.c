/* An object's DWARF, as dwarf/ reads it (variables, types, functions),
 * read the first time a reload asks and kept with the object: a reload
 * that replaces an object compares the old version's variables with the
 * new one's, and the old version is the one the previous reload read as
 * new. Each version is read once, not at every reload that meets it.
 *
 * libdwarf reads sections lazily from a descriptor (a memfd), seeking:
 * a forked process shares the descriptor's offset with its parent, so
 * each process forgets what it inherited and reads its own. */
#include <string.h>

#include "background.h"
#include "linker.h"
#include "typeinfo.h"

struct debug_info *object_dwarf(struct object *obj)
{
    if (obj->dwarf_known)
        return obj->dwarf;
    size_t size;
    const char *bytes = object_bytes(obj, &size);
    obj->dwarf = bytes ? debug_info_open(bytes, size, obj->name) : NULL;
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

/* Does obj have split DWARF (-gsplit-dwarf)? Its .debug_info's first
 * unit is a DWARF 5 skeleton (unit type 4 after the length and version);
 * in GNU's DWARF 4 form, a .debug_addr says so, which only split DWARF 4
 * has. */
static bool has_split_dwarf(struct object *obj)
{
    enum { DWARF_64 = 0xffffffff, UT_SKELETON = 4 };
    bool has_addr = false;
    const uint8_t *info = NULL;
    uint64_t size = 0;
    for (size_t i = 1; i < obj->nsecs; i++) {
        has_addr |= !strcmp(obj->secs[i].name, ".debug_addr");
        if (!strcmp(obj->secs[i].name, ".debug_info"))
            info = object_debug_bytes(obj, i, &size);
    }
    if (!info || size < 7)
        return false;
    uint32_t len;
    uint16_t version;
    memcpy(&len, info, 4);
    memcpy(&version, info + 4, 2);
    return len != DWARF_64 && (version == 5 ? info[6] == UT_SKELETON : version == 4 && has_addr);
}

void link_read_split_dwarf(struct link *ld)
{
    for (size_t i = 0; i < ld->nobjs && !background_cancelled(); i++)
        if (has_split_dwarf(ld->objs[i]))
            object_dwarf(ld->objs[i]);
}
