/* The skeleton and its .dwo, as gcc and clang write them: DWARF 5 puts
 * the DWO id in both units' headers (DW_UT_skeleton, DW_UT_split_compile);
 * GNU's DWARF 4 form has it in DW_AT_GNU_dwo_id, and names the file and
 * the address base with DW_AT_GNU_ attributes. The compiler writes the
 * .dwo beside the object, named for it; a build that moved the object
 * leaves it under the unit's directory or beside the object. */
#include "splitdwarf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "die.h"
#include "util.h"

/* The first compile unit's type and id, and its DIE; type units aside
 * (with -fdebug-types-section, a .dwo file's come first). Every header is
 * read, so that libdwarf's walk through them starts again at the first. */
static Dwarf_Die first_unit(Dwarf_Debug dbg, Dwarf_Half *type, uint64_t *id)
{
    Dwarf_Error err = NULL;
    Dwarf_Sig8 sig = {0};
    Dwarf_Unsigned next;
    Dwarf_Half unit_type;
    Dwarf_Die cu = NULL;
    bool first = true;
    while (dwarf_next_cu_header_d(dbg, 1, NULL, NULL, NULL, NULL, NULL, NULL, &sig, NULL, &next, &unit_type, &err) ==
           DW_DLV_OK) {
        if (!first || unit_type == DW_UT_type || unit_type == DW_UT_split_type)
            continue;
        first = false;
        *type = unit_type;
        memcpy(id, sig.signature, sizeof *id);
        if (dwarf_siblingof_b(dbg, NULL, 1, &cu, &err) != DW_DLV_OK)
            cu = NULL;
    }
    return cu;
}

/* DWARF 5's id is in the header; GNU's DWARF 4 one in an attribute. */
static bool unit_id(Dwarf_Die cu, Dwarf_Half type, uint64_t header_id, uint64_t *id)
{
    Dwarf_Unsigned v;
    if (type == DW_UT_skeleton || type == DW_UT_split_compile) {
        *id = header_id;
        return true;
    }
    if (!die_udata(cu, DW_AT_GNU_dwo_id, &v))
        return false;
    *id = v;
    return true;
}

bool skeleton_of(Dwarf_Debug dbg, struct skeleton *sk)
{
    Dwarf_Half type = 0;
    uint64_t header_id = 0;
    Dwarf_Die cu = first_unit(dbg, &type, &header_id);
    if (!cu)
        return false;
    sk->dwo_name = die_string(cu, DW_AT_dwo_name);
    if (!sk->dwo_name)
        sk->dwo_name = die_string(cu, DW_AT_GNU_dwo_name);
    sk->comp_dir = die_string(cu, DW_AT_comp_dir);
    sk->addr_base = die_addr_base(cu);
    bool split = sk->dwo_name && unit_id(cu, type, header_id, &sk->id);
    dwarf_dealloc_die(cu);
    return split;
}

/* A regular file's bytes (the name is the object's word: never a FIFO
 * or a device to wait on), or NULL. */
static char *read_whole(const char *path, size_t *size)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *bytes = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 ? xmalloc(st.st_size) : NULL;
    size_t got = 0;
    while (bytes && got < (size_t)st.st_size) {
        ssize_t n = read(fd, bytes + got, st.st_size - got);
        if (n <= 0 && !(n < 0 && errno == EINTR)) {
            xfree(bytes);
            bytes = NULL;
        }
        got += n > 0 ? (size_t)n : 0;
    }
    close(fd);
    *size = got;
    return bytes;
}

char *dwo_read(const struct skeleton *sk, const char *object_path, size_t *size)
{
    const char *base = strrchr(sk->dwo_name, '/');
    const char *slash = object_path ? strrchr(object_path, '/') : NULL;
    char *tries[2] = {
        sk->dwo_name[0] == '/' ? xstrdup(sk->dwo_name)
        : sk->comp_dir        ? xasprintf("%s/%s", sk->comp_dir, sk->dwo_name)
                              : NULL,
        slash ? xasprintf("%.*s/%s", (int)(slash - object_path), object_path, base ? base + 1 : sk->dwo_name)
              : NULL,
    };
    char *bytes = NULL;
    for (size_t i = 0; i < 2 && !bytes; i++)
        bytes = tries[i] ? read_whole(tries[i], size) : NULL;
    for (size_t i = 0; i < 2; i++)
        xfree(tries[i]);
    return bytes;
}

bool dwo_matches(const struct skeleton *sk, Dwarf_Debug dwo)
{
    Dwarf_Half type = 0;
    uint64_t header_id = 0, id;
    Dwarf_Die cu = first_unit(dwo, &type, &header_id);
    bool same = cu && unit_id(cu, type, header_id, &id) && id == sk->id;
    if (cu)
        dwarf_dealloc_die(cu);
    return same;
}
