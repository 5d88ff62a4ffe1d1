/* libFuzzer target for the DWARF type reader: an object (ELF, with
 * DWARF) is read as the loader reads it, its variables' DWARF found
 * (dwarf/debuginfo.c), and every pair of variable types compared
 * (dwarf/typematch.c) and shown side by side (dwarf/typeprint.c), the way
 * a reload compares an object's old and new versions. A plan that fits
 * the variables' sizes is applied to zeroed buffers of those sizes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "typeinfo.h"
#include "util.h"

/* The biggest variable worth applying a plan to here. */
#define MAX_SIZE 65536

static void try_pair(const struct debug_info *di, const struct debug_var *a, const struct debug_var *b)
{
    struct type_plan plan;
    typematch(di, a->type, di, b->type, &plan);
    free(type_side_by_side(di, a->type, di, b->type));
    uint64_t old_size = 0, new_size = 0;
    for (size_t i = 0; i < plan.nops; i++) {
        uint64_t o = plan.ops[i].from + plan.ops[i].from_size, n = plan.ops[i].to + plan.ops[i].to_size;
        old_size = o > old_size ? o : old_size;
        new_size = n > new_size ? n : new_size;
    }
    if (plan.verdict != TYPES_INCOMPATIBLE && old_size < MAX_SIZE && new_size < MAX_SIZE &&
        type_plan_within(&plan, old_size, new_size)) {
        uint8_t *old = xcalloc(old_size + 1, 1), *new = xcalloc(new_size + 1, 1);
        free(type_plan_loss(&plan, old));
        type_plan_apply(&plan, old, new);
        uint64_t off;
        type_plan_offset(&plan, old_size / 2, &off);
        free(old);
        free(new);
    }
    type_plan_free(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct link_options opts = {.entry = "main"};
    if (size < 18 || memcmp(data, "\x7f" "ELF", 4) || data[16] != ET_REL)
        return 0;
    elf_version(EV_CURRENT);
    struct link *ld = link_new(&opts);
    struct file_data f = {.bytes = xmalloc(size + 1), .size = size};
    memcpy(f.bytes, data, size);
    f.bytes[size] = 0;
    link_add_file(ld, "fuzz.o", f, false);
    clear_error();
    for (size_t i = 0; i < ld->nobjs; i++) {
        size_t bytes_size;
        const char *bytes = object_bytes(ld->objs[i], &bytes_size);
        struct debug_info *di = debug_info_open(bytes, bytes_size, NULL);
        size_t n = 0;
        const struct debug_var *v = di ? debug_vars(di, &n) : NULL;
        for (size_t a = 0; a < n && a < 16; a++)
            for (size_t b = 0; b < n && b < 16; b++)
                try_pair(di, &v[a], &v[b]);
        debug_info_close(di);
    }
    link_free(ld);
    return 0;
}
